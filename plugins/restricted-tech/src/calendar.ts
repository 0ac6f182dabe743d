import { BadRequest } from '@feathersjs/errors'
import type { Application, HookContext } from '@feathersjs/feathers'
import { collectionFromForm, type FormDefinition, type PluginContext } from '@medaffairs/plugin-sdk'
import { field, options } from './fields.js'
import { isIsoDate, isWorkingDay, type Adjustments, type DayKind } from './working-days.js'

type Doc = Record<string, any>

export const CALENDAR = 'workday_calendar'
export const CALENDAR_PATH = 'workday-calendar'

/**
 * 2026 public holidays and make-up working days (国务院办公厅关于2026年部分节假日安排的通知),
 * shipped as an editable default: the hospital corrects or extends it every year.
 */
export const CALENDAR_2026: Array<[date: string, kind: DayKind, name: string]> = [
  ...range('2026-01-01', 3, '元旦'),
  ['2026-01-04', 'workday', '元旦调休上班'],
  ['2026-02-14', 'workday', '春节调休上班'],
  ...range('2026-02-15', 9, '春节'),
  ['2026-02-28', 'workday', '春节调休上班'],
  ...range('2026-04-04', 3, '清明节'),
  ...range('2026-05-01', 5, '劳动节'),
  ['2026-05-09', 'workday', '劳动节调休上班'],
  ...range('2026-06-19', 3, '端午节'),
  ['2026-09-20', 'workday', '国庆节调休上班'],
  ...range('2026-09-25', 3, '中秋节'),
  ...range('2026-10-01', 7, '国庆节'),
  ['2026-10-10', 'workday', '国庆节调休上班']
]

function range(first: string, days: number, name: string): Array<[string, DayKind, string]> {
  const start = Date.parse(`${first}T00:00:00Z`)
  return Array.from({ length: days }, (_, i) => [
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    'holiday',
    name
  ])
}

export const calendarForm: FormDefinition = {
  collection: CALENDAR,
  label: { 'zh-CN': '节假日与调休', 'en-US': 'Holidays and make-up workdays' },
  fields: [
    field('date', 'date', '日期', 'Date', { required: true, unique: true, filterable: true, sortable: true }),
    field('select', 'kind', '类型', 'Kind', {
      required: true,
      filterable: true,
      options: options(['holiday', '放假', 'Holiday'], ['workday', '调休上班', 'Make-up workday'])
    }),
    field('text', 'name', '名称', 'Name', { maxLength: 50 })
  ],
  layout: [{ fields: ['date', 'kind', 'name'], columns: 3 }],
  list: { columns: ['date', 'kind', 'name'], sort: { date: 1 }, pageSize: 50 }
}

export const calendar = collectionFromForm(calendarForm, {
  kind: 'config',
  defaultSort: { date: 1 },
  everyone: [{ actions: ['read'], scope: 'all' }]
})

/**
 * An adjustment must change something: a holiday on a day already off, or a make-up
 * workday on a weekday, is a mistake worth naming (it usually means a wrong date).
 */
export async function checkAdjustment(context: HookContext): Promise<void> {
  if (!context.params.provider || context.method === 'remove') return
  const rows = (Array.isArray(context.data) ? context.data : [context.data]) as Doc[]
  const existing =
    context.id !== undefined && context.id !== null
      ? ((await context.service.get(context.id, { query: {} })) as Doc)
      : {}
  for (const row of rows) {
    const rec = { ...existing, ...row }
    if (!isIsoDate(rec.date) || (rec.kind !== 'holiday' && rec.kind !== 'workday')) continue
    const weekday = isWorkingDay(rec.date, new Map())
    if (rec.kind === 'workday' && weekday)
      throw new BadRequest('工作日无需设为调休上班 (that date is a weekday already)', {
        errors: [{ field: 'date', reason: '调休上班日应为周六或周日 (a make-up workday falls on a weekend)' }]
      })
  }
}

/** The adjustments between two dates, as the pure functions take them. */
export async function loadAdjustments(app: Application, from: string, to: string): Promise<Adjustments> {
  const rows = (await app
    .service(CALENDAR_PATH)
    .find({ query: { date: { $gte: from, $lte: to }, $select: ['date', 'kind'] }, paginate: false })) as Doc[]
  return new Map(rows.map((r) => [r.date as string, r.kind as DayKind]))
}

export async function seedCalendar({ app }: PluginContext): Promise<void> {
  await app.service(CALENDAR_PATH).create(CALENDAR_2026.map(([date, kind, name]) => ({ date, kind, name })))
}
