import type { Application, Params } from '@feathersjs/feathers'
import type { PluginContext } from '@medaffairs/plugin-sdk'
import { SCORE_SHEET, MATURE_FLOW, NEW_TECH_FLOW } from './flows.js'
import { addMonths, today } from './guards.js'
import { MATURE, PATH, PROJECTS } from './names.js'

type Doc = Record<string, any>
export const DEMO_JOB = 'medtech.demo'

/**
 * Demo data (with the demo hospital only): the committee roles given to demo staff, and a
 * job that plays a few applications through the real flow once the server runs (the flow
 * engine starts after the seeds): one under expert review, one being tracked with its
 * report overdue, one at evaluation ready to convert, a draft, and a mature technology.
 */
export async function seedDemo({ app, jobs }: PluginContext): Promise<void> {
  const users = app.service('users')
  for (const [dept, role] of [
    ['AD01', 'president'],
    ['FN05', 'ethics_committee']
  ] as const) {
    const [d] = (await app.service('departments').find({ query: { code: dept }, paginate: false })) as Doc[]
    const [u] = d
      ? ((await users.find({
          query: { deptId: d.id, $limit: 1, $sort: { username: 1 } },
          paginate: false
        })) as Doc[])
      : []
    if (u) await users.patch(u.id, { roles: [...new Set([...(u.roles ?? []), role])] })
  }
  await jobs?.enqueue(DEMO_JOB, {})
}

interface Cast {
  leader: Doc
  assistant: Doc
  dept: Doc
}

async function castOf(app: Application): Promise<Cast | undefined> {
  const [leader] = (await app
    .service('users')
    .find({ query: { username: 'yisheng' }, paginate: false })) as Doc[]
  if (!leader) return undefined
  const dept = (await app.service('departments').get(leader.deptId)) as Doc
  const [assistant] = (await app.service('users').find({
    query: { deptId: leader.deptId, username: { $ne: 'yisheng' }, $limit: 1 },
    paginate: false
  })) as Doc[]
  return { leader, assistant: assistant ?? leader, dept }
}

const as = (user: Doc): Params => ({ user }) as Params

/** Who may hold a node's tasks in the demo: the department's leaders, or a role's holders. */
async function holders(app: Application, cast: Cast, nodeId: string): Promise<Doc[]> {
  const users = app.service('users')
  if (nodeId === 'dept')
    return (await users.find({ query: { id: { $in: cast.dept.leaderIds ?? [] } }, paginate: false })) as Doc[]
  if (nodeId === 'tracking') return [cast.leader]
  const role = nodeId === 'panel' ? 'expert' : nodeId === 'approval' ? 'president' : 'medical_affairs_admin'
  return (await users.find({ query: { roles: { $in: [role] }, $limit: 500 }, paginate: false })) as Doc[]
}

/** Acts on every pending task of `nodeId` on the record, as each assignee. */
async function actAll(
  app: Application,
  cast: Cast,
  recordId: string,
  nodeId: string,
  body: (task: Doc) => Doc
): Promise<number> {
  let acted = 0
  for (const user of await holders(app, cast, nodeId)) {
    const box = (await app
      .service('flow-tasks')
      .find({ ...as(user), query: { box: 'todo', $limit: 100 } })) as { data: Doc[] }
    for (const task of box.data.filter((t) => t.instance?.recordId === recordId && t.nodeId === nodeId)) {
      await app.service('flow-actions').create({ taskId: task.id, ...body(task) }, as(user))
      acted++
    }
  }
  return acted
}

const approve = () => ({ action: 'approve' })
const scores = () => ({
  action: 'score',
  scores: Object.fromEntries(SCORE_SHEET.criteria.map((c) => [c.key, Math.round(c.max * 0.85)]))
})

function project(cast: Cast, name: string, extra: Doc = {}): Doc {
  return {
    applyDept: cast.dept.id,
    name,
    type: 'therapeutic',
    level: '3',
    restricted: false,
    applyDate: addMonths(today(), -15),
    leaderId: cast.leader.id,
    leaderMobile: '13800138000',
    minTitle: 'intermediate_up',
    staffType: 'physician',
    members: [
      { userId: cast.leader.id, role: 'operator' },
      { userId: cast.assistant.id, role: 'assistant' }
    ],
    content: `<p>${name}：项目内容</p>`,
    purpose: '<p>提高疗效，减少创伤。</p>',
    background: '<p>国内多家三甲医院已开展。</p>',
    plan: '<p>首年完成20例。</p>',
    qualityControl: '<p>术前讨论、术中核查、术后随访。</p>',
    indications: '<p>严格掌握适应证与禁忌证。</p>',
    consentForm: [],
    involvesDrugOrDevice: false,
    ownerId: cast.leader.id,
    deptId: cast.leader.deptId,
    ...extra
  }
}

const report = (from: string, to: string, cases: number, final = false) => ({
  action: 'submit',
  final,
  data: {
    periodStart: from,
    periodEnd: to,
    cases,
    indicationsFollowed: true,
    cured: cases - 1,
    improved: 1,
    complications: 0,
    adverseEvents: 0,
    benefits: '缩短住院日'
  }
})

/** Takes a new application through the reviews to the start of tracking. */
async function toTracking(app: Application, cast: Cast, name: string): Promise<Doc> {
  const p = (await app.service(PATH.projects).create(project(cast, name), as(cast.leader))) as Doc
  await app
    .service('flows/start')
    .create({ flowKey: NEW_TECH_FLOW, collection: PROJECTS, recordId: p.id }, as(cast.leader))
  await actAll(app, cast, p.id, 'dept', approve)
  await actAll(app, cast, p.id, 'formal', approve)
  await actAll(app, cast, p.id, 'panel', scores)
  await actAll(app, cast, p.id, 'approval', approve)
  return p
}

/**
 * The queue may run the demo job before the flow engine has registered its services (the
 * engine starts after the plugins' seeds). Waited for outside the job's transaction, which on
 * the embedded database would otherwise hold every request meanwhile.
 */
export async function flowsReady(app: Application, waitMs = 60_000): Promise<void> {
  const until = Date.now() + waitMs
  while (!('flows/start' in app.services)) {
    if (Date.now() > until) throw new Error('medtech demo: the flow engine did not start')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The demo's flows, played through the same services users call. */
export async function playDemo(app: Application): Promise<void> {
  const cast = await castOf(app)
  if (!cast) return
  const projects = app.service(PATH.projects)
  await projects.create(project(cast, '超声引导下神经阻滞镇痛（草稿）'), as(cast.leader))
  const review = (await projects.create(project(cast, '冠脉内光学相干断层成像(OCT)'), as(cast.leader))) as Doc
  await app
    .service('flows/start')
    .create({ flowKey: NEW_TECH_FLOW, collection: PROJECTS, recordId: review.id }, as(cast.leader))
  await actAll(app, cast, review.id, 'dept', approve)
  await actAll(app, cast, review.id, 'formal', approve)
  const tracked = await toTracking(app, cast, '经导管左心耳封堵术')
  await actAll(app, cast, tracked.id, 'tracking', () =>
    report(addMonths(today(), -8), addMonths(today(), -2), 6)
  )
  await projects.patch(tracked.id, {
    startedAt: addMonths(today(), -8),
    nextReportDue: addMonths(today(), -1)
  })
  const ready = await toTracking(app, cast, '心脏再同步化治疗(CRT)优化程控')
  await actAll(app, cast, ready.id, 'tracking', () =>
    report(addMonths(today(), -14), addMonths(today(), -1), 24, true)
  )
  await projects.patch(ready.id, { startedAt: addMonths(today(), -14) })
  const mature = (await app.service(PATH.mature).create(
    {
      name: '经皮冠状动脉介入治疗(PCI)',
      dept: cast.dept.id,
      type: 'therapeutic',
      surgeryLevel: '4',
      description: '<p>院内常规开展。</p>',
      since: '2015-03-01',
      ownerId: cast.leader.id,
      deptId: cast.leader.deptId
    },
    as(cast.leader)
  )) as Doc
  await app
    .service('flows/start')
    .create({ flowKey: MATURE_FLOW, collection: MATURE, recordId: mature.id }, as(cast.leader))
  await actAll(app, cast, mature.id, 'dept', approve)
  await actAll(app, cast, mature.id, 'review', approve)
}
