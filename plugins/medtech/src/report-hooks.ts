import { BadRequest, Forbidden } from '@feathersjs/errors'
import type { HookContext, Params } from '@feathersjs/feathers'
import { Problems, addMonths, isCount, isDate } from './guards.js'
import { reportEveryMonths } from './lifecycle.js'
import { PATH } from './names.js'

type Doc = Record<string, any>

const COUNTS = ['cases', 'cured', 'improved', 'complications', 'adverseEvents'] as const
const TEXTS = ['eventDescription', 'benefits', 'improvements'] as const
const LINKS = ['flowRecordId', 'flowInstanceId', 'flowTaskId', 'ownerId', 'deptId'] as const
const KNOWN = new Set<string>([
  'periodStart',
  'periodEnd',
  'caseList',
  'indicationsFollowed',
  ...COUNTS,
  ...TEXTS,
  ...LINKS
])

/**
 * A tracking report arrives through the leader's tracking task (the engine writes it
 * internally, so the form validator does not see it): every rule of the 中期反馈表 is
 * checked here and each refusal names its field. Answers the report to store.
 */
export function checkReport(data: Doc): Doc {
  const p = new Problems()
  for (const k of Object.keys(data)) if (!KNOWN.has(k)) p.add(k, '未知字段', 'unknown field')
  for (const k of ['periodStart', 'periodEnd'])
    if (!isDate(data[k])) p.add(k, '必填，格式 YYYY-MM-DD', 'required, as YYYY-MM-DD')
  if (isDate(data.periodStart) && isDate(data.periodEnd) && data.periodStart > data.periodEnd)
    p.add('periodEnd', '不能早于统计期起', 'must not be before the period start')
  for (const k of COUNTS)
    if (!isCount(data[k])) p.add(k, '必填，0–100000 的整数', 'required, a whole number from 0 to 100000')
  if (typeof data.indicationsFollowed !== 'boolean')
    p.add('indicationsFollowed', '必填：是或否', 'required: true or false')
  const counts = COUNTS.every((k) => isCount(data[k]))
  if (counts && data.cured + data.improved > data.cases)
    p.add('improved', '治愈与好转例数之和不能超过开展例数', 'cured plus improved cannot exceed the cases')
  if (counts && data.complications > data.cases)
    p.add('complications', '并发症例数不能超过开展例数', 'complications cannot exceed the cases')
  for (const k of TEXTS)
    if (data[k] != null && (typeof data[k] !== 'string' || data[k].length > 4000))
      p.add(k, '应为不超过4000字的文本', 'text of at most 4000 characters')
  const events = counts && (data.complications > 0 || data.adverseEvents > 0)
  if (events && !(typeof data.eventDescription === 'string' && data.eventDescription.trim()))
    p.add(
      'eventDescription',
      '有并发症或不良事件时必填',
      'required when there were complications or adverse events'
    )
  if (
    data.caseList != null &&
    (!Array.isArray(data.caseList) ||
      data.caseList.length > 5 ||
      data.caseList.some((x: unknown) => typeof x !== 'string'))
  )
    p.add('caseList', '应为不超过5个文件编号', 'up to 5 file ids')
  p.throwIfAny()
  const rate = data.cases ? Math.round(((data.cured + data.improved) / data.cases) * 10000) / 100 : null
  return { ...data, cureImproveRate: rate }
}

/** Reports come only through the tracking task: a direct create is refused; the engine's is checked. */
export async function beforeReport(context: HookContext): Promise<void> {
  if (context.method !== 'create') return
  if (context.params.provider)
    throw new Forbidden('请通过「开展情况追踪」待办填报 (submit tracking reports through your tracking task)')
  if (Array.isArray(context.data)) throw new BadRequest('一次填报一份 (one report at a time)')
  const data = context.data as Doc
  if (typeof data.flowRecordId !== 'string')
    throw new BadRequest('追踪报告需属于一个项目 (a report belongs to a project)', {
      errors: [{ field: 'flowRecordId', reason: 'required' }]
    })
  context.data = checkReport(data)
}

/** Each report adds to the project's totals (what conversion is judged on) and sets the next due date. */
export async function afterReport(context: HookContext): Promise<void> {
  if (context.method !== 'create' || context.params.provider) return
  const report = context.result as Doc
  const projects = context.app.service(PATH.projects)
  const { actor, user } = context.params as Doc
  const params = { actor, user } as Params
  const project = (await projects.get(report.flowRecordId)) as Doc
  const add = (k: string, v: number) => (typeof project[k] === 'number' ? project[k] : 0) + v
  await projects.patch(
    project.id,
    {
      reportCount: add('reportCount', 1),
      totalCases: add('totalCases', report.cases),
      totalCured: add('totalCured', report.cured),
      totalImproved: add('totalImproved', report.improved),
      totalComplications: add('totalComplications', report.complications),
      totalAdverseEvents: add('totalAdverseEvents', report.adverseEvents),
      lastReportAt: report.periodEnd,
      nextReportDue: addMonths(report.periodEnd, await reportEveryMonths(context.app, params))
    },
    params
  )
}
