import { BadRequest, Conflict, Forbidden } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { readScope, type Db } from '@medaffairs/plugin-sdk'
import { asCaller, paging } from './caller.js'
import { EVALUATING } from './evaluation.js'
import { EVALUATION_NODE, NEW_TECH_FLOW } from './flows.js'
import { TRACKING } from './lifecycle.js'
import { DEFAULT_RULE } from './mature.js'
import { today } from './guards.js'
import { PATH } from './names.js'
import type { Candidate } from './candidates.shared.js'
import { metricsOf } from './rules.js'

type Doc = Record<string, any>

/** What a candidate is judged on: not the rich-text sections. */
const CANDIDATE_FIELDS = [
  'id',
  'name',
  'applyDept',
  'leaderId',
  'level',
  'startedAt',
  'state',
  'totalCases',
  'totalCured',
  'totalImproved',
  'totalComplications',
  'totalAdverseEvents',
  'convPeriodMonths',
  'convMinCases',
  'convMaxComplicationRate',
  'matureId'
]

/**
 * The projects that may meet their rule, as a SQL condition: a little wider than the rule
 * (whole calendar months, the ceiling plus rounding) so that `metricsOf` stays the judge.
 */
function mayMeetRule(
  field: (name: string) => string,
  hospital: Doc | undefined,
  arg: (value: unknown) => string
): string {
  const base = { ...DEFAULT_RULE, ...(hospital ?? {}) }
  if (![base.periodMonths, base.minCases, base.maxComplicationRate].every(Number.isFinite)) return 'true'
  const own = (name: string, fallback: number) => `COALESCE(${field(name)}, ${arg(fallback)})`
  const started = field('startedAt')
  const [year, month] = today().split('-').map(Number)
  const months = `(${arg(year)} - substr(${started}, 1, 4)::int) * 12 + ${arg(month)} - substr(${started}, 6, 2)::int`
  const cases = `COALESCE(${field('totalCases')}, 0)`
  return `${started} IS NOT NULL AND CASE WHEN ${started} ~ '^[0-9]{4}-[0-9]{2}' THEN ${months} >= ${own('convPeriodMonths', base.periodMonths)} ELSE true END
    AND ${cases} > 0 AND ${cases} >= ${own('convMinCases', base.minCases)}
    AND COALESCE(${field('totalComplications')}, 0) * 100 <= (${own('convMaxComplicationRate', base.maxComplicationRate)} + 0.01) * ${cases}`
}

/** The tracked projects the caller may read, in one query; only those that may meet their rule unless `everyOne`. */
async function trackedProjects(
  app: Application,
  db: Db,
  params: Params,
  rule: Doc | undefined,
  everyOne: boolean
): Promise<Doc[]> {
  const scope = await readScope(
    app.service(PATH.projects),
    { state: { $in: [TRACKING, EVALUATING] } },
    params
  )
  const values = [...scope.params]
  const arg = (value: unknown) => `$${values.push(value)}`
  const doc = `jsonb_build_object(${CANDIDATE_FIELDS.map((name) => `'${name}', ${scope.field(name)}`).join(', ')})`
  const narrow = everyOne ? '' : ` AND ${mayMeetRule(scope.field, rule, arg)}`
  const { rows } = await db.query<{ doc: Doc }>(
    `SELECT ${doc} AS doc FROM ${scope.table} WHERE ${scope.where}${narrow}`,
    values
  )
  return rows.map((r) => r.doc)
}

async function hospitalRule(app: Application): Promise<Doc | undefined> {
  return (
    (await app.service(PATH.rules).find({ query: { key: 'default', $limit: 1 }, paginate: false })) as Doc[]
  )[0]
}

const candidateOf = (p: Doc, rule: Doc | undefined): Candidate => ({
  id: p.id,
  name: p.name,
  applyDept: p.applyDept ?? null,
  leaderId: p.leaderId ?? null,
  level: p.level ?? null,
  startedAt: p.startedAt ?? null,
  state: p.state,
  ready: p.state === EVALUATING,
  metrics: metricsOf(p, rule)
})

/**
 * `GET /api/medtech-candidates`: projects under tracking or evaluation that meet their
 * conversion rule, among those the caller may read (`?all=true` lists every tracked project
 * with the checks it fails). Ready ones (at evaluation) first.
 */
export class CandidatesService {
  constructor(
    private readonly app: Application,
    private readonly db: Db
  ) {}

  async find(params: Params) {
    const q = (params.query ?? {}) as Doc
    const { limit, skip } = paging(q)
    const everyOne = q.all === true || q.all === 'true'
    const rule = await hospitalRule(this.app)
    const found = (await trackedProjects(this.app, this.db, asCaller(params), rule, everyOne))
      .map((p) => candidateOf(p, rule))
      .filter((c) => everyOne || c.metrics.eligible)
    found.sort(
      (a, b) =>
        Number(b.ready) - Number(a.ready) ||
        Number(b.metrics.eligible) - Number(a.metrics.eligible) ||
        a.name.localeCompare(b.name, 'zh-CN')
    )
    return { total: found.length, limit, skip, data: found.slice(skip, skip + limit) }
  }
}

/** The caller's pending evaluation task on a project, if they hold one. */
async function evaluationTask(app: Application, projectId: string, params: Params): Promise<Doc | undefined> {
  let after: string | undefined
  for (let page = 0; page < 50; page++) {
    const box = (await app
      .service('flow-tasks')
      .find({ ...params, query: { box: 'todo', $limit: 100, ...(after ? { after } : {}) } })) as {
      data: Doc[]
      next: string | null
    }
    const hit = box.data.find(
      (t) =>
        t.instance?.recordId === projectId && t.flow?.key === NEW_TECH_FLOW && t.nodeId === EVALUATION_NODE
    )
    if (hit || !box.next) return hit
    after = box.next
  }
  return undefined
}

/**
 * `POST /api/medtech-conversions {projectId, comment?}`: a person confirms that a candidate
 * becomes routine (转为院内成熟技术). Only the holder of the project's evaluation task may,
 * and only for a project meeting its rule; the decision and the approval are one
 * transaction, audited under the confirmer, and the flow's end adds the catalogue entry.
 */
export class ConversionsService {
  constructor(
    private readonly app: Application,
    private readonly db: Db
  ) {}

  async create(data: Doc, params: Params) {
    const projectId = data?.projectId
    if (typeof projectId !== 'string' || !projectId)
      throw new BadRequest('请选择项目 (projectId is required)', {
        errors: [{ field: 'projectId', reason: '必填 (required)' }]
      })
    if (data.comment != null && (typeof data.comment !== 'string' || data.comment.length > 4000))
      throw new BadRequest('意见应为不超过4000字的文本', {
        errors: [{ field: 'comment', reason: '应为不超过4000字的文本 (text of at most 4000 characters)' }]
      })
    const caller = asCaller(params)
    const projects = this.app.service(PATH.projects)
    const project = (await projects.get(projectId, caller)) as Doc
    const candidate = candidateOf(project, await hospitalRule(this.app))
    if (project.matureId)
      throw new Conflict('该项目已转为常规技术 (already converted)', { reason: 'converted' })
    if (!candidate.metrics.eligible)
      throw new Conflict('尚未满足转常规条件 (the conversion rule is not met)', {
        reason: 'rule',
        checks: candidate.metrics.checks.filter((c) => !c.ok)
      })
    if (!candidate.ready)
      throw new Conflict(
        '项目尚未提交总结报告进入评估 (the leader has not handed in the summary report yet)',
        { reason: 'not_evaluating' }
      )
    const task = await evaluationTask(this.app, projectId, caller)
    if (!task)
      throw new Forbidden(
        '只有该项目评估步骤的处理人可以确认转化 (only the evaluator of this project may confirm)'
      )
    const opinion =
      typeof data.comment === 'string' && data.comment ? data.comment : '满足转常规条件，确认转为院内成熟技术'
    await this.db.transaction(async () => {
      // Written as the confirmer (audited under them) but past the form: the evaluator's
      // decision must not fail on a field the hospital made required after the project was filed.
      await projects.patch(projectId, { evaluationDecision: 'convert', evaluationOpinion: opinion }, {
        user: (params as { user?: unknown }).user
      } as Params)
      await this.app
        .service('flow-actions')
        .create({ taskId: task.id, action: 'approve', comment: opinion }, caller)
    })
    const after = (await projects.get(projectId, caller)) as Doc
    return { projectId, state: after.state, matureId: after.matureId ?? null, metrics: candidate.metrics }
  }
}
