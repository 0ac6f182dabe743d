import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import { collectionFromForm, type FormDefinition } from '@medaffairs/plugin-sdk'
import { CATALOGUE_PATH } from './catalogue.js'
import { field, operatorsField, options, technologyField } from './fields.js'
import { syncFilingClock } from './filings.js'

type Doc = Record<string, any>

export const CASES = 'restricted_tech_cases'
export const CASES_PATH = 'restricted-tech-cases'

const when = (name: string, value: unknown) => ({ field: name, op: 'eq' as const, value })

export const OUTCOMES = options(
  ['cured', '治愈', 'Cured'],
  ['improved', '好转', 'Improved'],
  ['unchanged', '未愈', 'Not improved'],
  ['died', '死亡', 'Died'],
  ['other', '其他', 'Other']
)

/** One case of a restricted technology: who, when, the outcome, complications, death. */
export const caseForm: FormDefinition = {
  collection: CASES,
  label: { 'zh-CN': '限制类技术病例登记', 'en-US': 'Restricted-technology cases' },
  fields: [
    technologyField(),
    field('text', 'technologyName', '技术名称', 'Technology', { maxLength: 100 }),
    field('text', 'caseNo', '病案号', 'Case number', {
      required: true,
      filterable: true,
      sortable: true,
      maxLength: 40
    }),
    field('text', 'patientName', '患者姓名', 'Patient', {
      maxLength: 40,
      sensitive: true,
      mask: { kind: 'name' }
    }),
    field('select', 'patientSex', '性别', 'Sex', { dictionary: 'sex' }),
    field('number', 'patientAge', '年龄', 'Age', { min: 0, max: 150 }),
    field('text', 'diagnosis', '主要诊断', 'Main diagnosis', { maxLength: 200 }),
    field('text', 'procedureCode', '手术/操作编码', 'Procedure code', {
      maxLength: 20,
      pattern: '^\\d{2}\\.\\d{2,4}(x\\d{3})?$',
      patternMessage: { 'zh-CN': '格式如 51.2300 或 68.1200x001', 'en-US': 'like 51.2300 or 68.1200x001' }
    }),
    field('date', 'procedureDate', '治疗日期', 'Date', { required: true, filterable: true, sortable: true }),
    operatorsField(),
    field('text', 'operatorNames', '操作人员姓名', 'Operator names', { maxLength: 400 }),
    field('select', 'outcome', '转归', 'Outcome', { required: true, filterable: true, options: OUTCOMES }),
    field('boolean', 'complication', '发生并发症', 'Complication', { required: true, filterable: true }),
    field('textarea', 'complicationDesc', '并发症情况', 'Complications', {
      required: when('complication', true),
      visible: when('complication', true),
      maxLength: 2000
    }),
    field('boolean', 'death', '死亡', 'Death', { required: true, filterable: true }),
    field('date', 'deathDate', '死亡日期', 'Date of death', {
      required: when('death', true),
      visible: when('death', true)
    }),
    field('textarea', 'deathCause', '死亡原因', 'Cause of death', {
      visible: when('death', true),
      maxLength: 2000
    }),
    field('boolean', 'adverseEventReported', '已上报不良事件', 'Adverse event reported'),
    field('textarea', 'remark', '备注', 'Remarks', { maxLength: 2000 })
  ],
  layout: [
    {
      fields: [
        'technologyCode',
        'caseNo',
        'procedureDate',
        'procedureCode',
        'patientName',
        'patientSex',
        'patientAge',
        'diagnosis'
      ],
      columns: 2
    },
    { title: { 'zh-CN': '操作人员', 'en-US': 'Operators' }, fields: ['operators'], columns: 1 },
    {
      title: { 'zh-CN': '转归与并发症', 'en-US': 'Outcome and complications' },
      fields: [
        'outcome',
        'complication',
        'complicationDesc',
        'death',
        'deathDate',
        'deathCause',
        'adverseEventReported',
        'remark'
      ],
      columns: 2
    }
  ],
  list: {
    columns: [
      'technologyCode',
      'caseNo',
      'procedureDate',
      'operatorNames',
      'outcome',
      'complication',
      'death'
    ],
    sort: { procedureDate: -1 },
    pageSize: 20
  }
}

export const cases = {
  ...collectionFromForm(caseForm, { defaultSort: { procedureDate: -1 } }),
  uniques: [['technologyCode', 'caseNo']]
}

/**
 * The columns of the report to the national medical-technology platform
 * (国家医疗技术临床应用信息化管理平台), in its order; exported through the core's exports.
 */
export const REPORT_COLUMNS = [
  'technologyCode',
  'technologyName',
  'caseNo',
  'patientName',
  'patientSex',
  'patientAge',
  'diagnosis',
  'procedureCode',
  'procedureDate',
  'deptId',
  'operatorNames',
  'outcome',
  'complication',
  'complicationDesc',
  'death',
  'deathDate',
  'deathCause',
  'adverseEventReported'
]

/** What the form cannot say: a death is the outcome 死亡 and the reverse, no future dates. */
export function caseErrors(
  rec: Doc,
  today = new Date().toISOString().slice(0, 10)
): Array<{ field: string; reason: string }> {
  const errors: Array<{ field: string; reason: string }> = []
  if (
    (rec.outcome === 'died') !== (rec.death === true) &&
    rec.outcome !== undefined &&
    rec.death !== undefined
  ) {
    errors.push({
      field: rec.death === true ? 'outcome' : 'death',
      reason: '转归为死亡时须勾选死亡，反之亦然 (outcome "died" and death go together)'
    })
  }
  if (typeof rec.procedureDate === 'string' && rec.procedureDate > today)
    errors.push({ field: 'procedureDate', reason: '不能晚于今天 (cannot be in the future)' })
  if (
    rec.death === true &&
    typeof rec.deathDate === 'string' &&
    typeof rec.procedureDate === 'string' &&
    rec.deathDate < rec.procedureDate
  ) {
    errors.push({ field: 'deathDate', reason: '不能早于治疗日期 (cannot be before the procedure)' })
  }
  if (Array.isArray(rec.operators) && !rec.operators.length)
    errors.push({ field: 'operators', reason: '至少填写一名操作人员 (at least one operator)' })
  return errors
}

/** Fills the technology's name and the operators' names (the report shows them as text). */
async function denormalize(context: HookContext, data: Doc, existing: Doc): Promise<void> {
  const code = data.technologyCode ?? existing.technologyCode
  if (code !== undefined && (data.technologyCode !== undefined || !existing.technologyName)) {
    const [tech] = (await context.app
      .service(CATALOGUE_PATH)
      .find({ query: { code, $limit: 1 }, paginate: false })) as Doc[]
    data.technologyName = tech?.name ?? ''
  }
  if (Array.isArray(data.operators)) {
    const ids = data.operators
      .map((o: Doc) => o?.userId)
      .filter((id: unknown): id is string => typeof id === 'string')
    const users = ids.length
      ? ((await context.app
          .service('users')
          .find({ query: { id: { $in: ids }, $select: ['id', 'name'] }, paginate: false })) as Doc[])
      : []
    const names = new Map(users.map((u) => [u.id, u.name]))
    data.operatorNames = data.operators
      .map(
        (o: Doc) => `${names.get(o?.userId) ?? o?.userId ?? ''}${o?.role === 'main' ? '(主要操作者)' : ''}`
      )
      .join('、')
  }
}

/** Technologies whose filing clock a write may move: the new code and, on a change, the old one. */
const CODES = 'restrictedTechCodes'

export async function prepareCase(context: HookContext): Promise<void> {
  const existing =
    context.id !== undefined && context.id !== null
      ? ((await context.service.get(context.id, { query: {} })) as Doc)
      : {}
  if (existing.technologyCode) (context.params as Doc)[CODES] = [existing.technologyCode]
  if (context.method === 'remove') return
  for (const data of (Array.isArray(context.data) ? context.data : [context.data]) as Doc[]) {
    if (context.params.provider) {
      const errors = caseErrors({ ...existing, ...data })
      if (errors.length) throw new BadRequest('病例登记有误 (the case has errors)', { errors })
    }
    await denormalize(context, data, existing)
  }
}

/** After a case is registered, changed or removed, its technology's filing clock follows the earliest case. */
export async function caseMovesClock(context: HookContext): Promise<void> {
  const codes = new Set<string>((context.params as Doc)[CODES] ?? [])
  for (const row of (Array.isArray(context.result) ? context.result : [context.result]) as Doc[]) {
    if (context.method !== 'remove' && row?.id) {
      const stored = (await context.service.get(row.id, { query: {} })) as Doc
      if (stored.technologyCode) codes.add(stored.technologyCode)
    }
  }
  for (const code of codes) await syncFilingClock(context.app, code, context.params)
}
