import { BadRequest } from '@feathersjs/errors'
import type { Application, HookContext, Params } from '@feathersjs/feathers'
import { collectionFromForm, type FormDefinition } from '@medaffairs/plugin-sdk'
import { loadAdjustments } from './calendar.js'
import { field, options, technologyField } from './fields.js'
import type { FilingStatus } from './indicators.shared.js'
import { addWorkingDays, calendarWindow, isIsoDate } from './working-days.js'

type Doc = Record<string, any>

export const FILINGS = 'restricted_tech_filings'
export const FILINGS_PATH = 'restricted-tech-filings'
/** The case registry's service (cases.ts imports this module, so the path is repeated here). */
const CASES_PATH = 'restricted-tech-cases'
/** 15 working days after the first case ([M] in DOMAIN.md: a setting, `plugins.restricted-tech.filingWorkingDays`). */
export const DEFAULT_FILING_WORKING_DAYS = 15

export const filingForm: FormDefinition = {
  collection: FILINGS,
  label: { 'zh-CN': '限制类技术备案', 'en-US': 'Restricted-technology filings' },
  fields: [
    { ...technologyField(), unique: true },
    field('date', 'firstCaseDate', '首例开展日期', 'First case on', {
      required: true,
      filterable: true,
      sortable: true
    }),
    field('text', 'firstCaseId', '首例病例记录', 'First case record', { maxLength: 64 }),
    field('date', 'deadline', '备案截止日期', 'Filing deadline', {
      filterable: true,
      sortable: true,
      help: {
        'zh-CN': '首例后第15个工作日，按节假日与调休日历自动计算',
        'en-US': 'The 15th working day after the first case, from the holiday calendar'
      }
    }),
    field('date', 'filedDate', '备案日期', 'Filed on', { filterable: true, sortable: true }),
    field('text', 'authority', '备案机关', 'Filed with', {
      required: { field: 'filedDate', op: 'filled' },
      maxLength: 100
    }),
    field('text', 'filingNo', '备案编号', 'Filing number', { maxLength: 60 }),
    field('select', 'status', '备案状态', 'Status', {
      filterable: true,
      options: options(
        ['pending', '待备案', 'Pending'],
        ['overdue', '已逾期', 'Overdue'],
        ['filed', '已按时备案', 'Filed on time'],
        ['filed_late', '逾期后备案', 'Filed late']
      )
    }),
    field('file', 'documents', '备案材料', 'Documents', { maxItems: 20 }),
    field('textarea', 'remark', '备注', 'Remarks', { maxLength: 2000 })
  ],
  layout: [
    {
      fields: [
        'technologyCode',
        'status',
        'firstCaseDate',
        'deadline',
        'filedDate',
        'authority',
        'filingNo',
        'firstCaseId'
      ],
      columns: 2
    },
    { fields: ['documents', 'remark'], columns: 1 }
  ],
  list: {
    columns: ['technologyCode', 'firstCaseDate', 'deadline', 'filedDate', 'authority', 'status'],
    sort: { deadline: 1 },
    pageSize: 20
  }
}

const base = collectionFromForm(filingForm, {
  kind: 'config',
  defaultSort: { deadline: 1 },
  everyone: [{ actions: ['read'], scope: 'all' }]
})
/** `remindersSent` keeps which notices went out (not on the form: the reminder job writes it). */
export const filings = {
  ...base,
  fields: [...base.fields, { name: 'remindersSent', type: 'array' as const }]
}

export const isoToday = () => new Date().toISOString().slice(0, 10)

/** Where a filing stands on a day: filed on time or late, or still open and maybe overdue. */
export function filingStatus(
  f: { deadline?: string | null; filedDate?: string | null },
  today: string
): FilingStatus {
  if (f.filedDate) return f.deadline && f.filedDate > f.deadline ? 'filed_late' : 'filed'
  return f.deadline && today > f.deadline ? 'overdue' : 'pending'
}

/** The deadline of a first case on `date`, from the hospital's calendar. */
export async function deadlineOf(app: Application, date: string, workingDays: number): Promise<string> {
  const { from, to } = calendarWindow(date, workingDays)
  return addWorkingDays(date, workingDays, await loadAdjustments(app, from, to))
}

/** Before every write: the deadline and the status follow the first case, the filing and the calendar. */
export function computeFiling(workingDays: () => number) {
  return async (context: HookContext): Promise<void> => {
    if (context.method === 'remove') return
    const existing =
      context.id !== undefined && context.id !== null
        ? ((await context.service.get(context.id, { query: {} })) as Doc)
        : {}
    for (const data of (Array.isArray(context.data) ? context.data : [context.data]) as Doc[]) {
      const rec = { ...existing, ...data }
      if (context.params.provider && isIsoDate(rec.filedDate) && rec.filedDate > isoToday()) {
        throw new BadRequest('备案日期不能晚于今天 (the filing date cannot be in the future)', {
          errors: [{ field: 'filedDate', reason: '不能晚于今天 (cannot be in the future)' }]
        })
      }
      if (isIsoDate(rec.firstCaseDate))
        data.deadline = await deadlineOf(context.app, rec.firstCaseDate, workingDays())
      // The reminder job states the status as of its own day; anything else is judged today.
      if (context.params.provider || data.status === undefined)
        data.status = filingStatus(
          { deadline: data.deadline ?? rec.deadline, filedDate: rec.filedDate },
          isoToday()
        )
    }
  }
}

/**
 * The filing clock of a technology follows its earliest registered case while nothing is
 * filed: the first case opens the filing record, an earlier case moves the clock back, a
 * corrected date or a removed first case moves it to the earliest remaining case, and with no
 * case left the open filing goes to the recycle bin. A filed record is history and stays.
 */
export async function syncFilingClock(
  app: Application,
  technologyCode: string,
  params: Params
): Promise<void> {
  const service = app.service(FILINGS_PATH)
  const [filing] = (await service.find({ query: { technologyCode, $limit: 1 }, paginate: false })) as Doc[]
  if (filing?.filedDate) return
  const [earliest] = (await app.service(CASES_PATH).find({
    query: {
      technologyCode,
      $sort: { procedureDate: 1, id: 1 },
      $limit: 1,
      $select: ['id', 'procedureDate']
    },
    paginate: false
  })) as Doc[]
  const { actor, user } = params as Doc
  const as = { actor, user } as Params
  if (!earliest) {
    if (filing) await service.remove(filing.id, as)
    return
  }
  if (!filing)
    await service.create(
      { technologyCode, firstCaseDate: earliest.procedureDate, firstCaseId: earliest.id, remindersSent: [] },
      as
    )
  else if (filing.firstCaseId !== earliest.id || filing.firstCaseDate !== earliest.procedureDate) {
    await service.patch(
      filing.id,
      { firstCaseDate: earliest.procedureDate, firstCaseId: earliest.id, remindersSent: [] },
      as
    )
  }
}

/** After the calendar changes, open filings get their deadline again (a holiday added or moved). */
export function recomputeOpenDeadlines() {
  return async (context: HookContext): Promise<void> => {
    const service = context.app.service(FILINGS_PATH)
    const open = (await service.find({
      query: { filedDate: null, $select: ['id', 'firstCaseDate'] },
      paginate: false
    })) as Doc[]
    for (const f of open)
      await service.patch(f.id, { firstCaseDate: f.firstCaseDate }, {
        actor: (context.params as Doc).actor,
        user: (context.params as Doc).user
      } as Params)
  }
}
