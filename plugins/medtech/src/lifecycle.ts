import type { Application, HookContext, Params } from '@feathersjs/feathers'
import { grantAuthorizations, revokeAuthorizations } from './archives.js'
import { addMonths, today } from './guards.js'
import { NEW_TECH_FLOW, TRACKING_NODE } from './flows.js'
import { metricsOf } from './rules.js'
import { operatorsOf } from './team.js'
import { PATH } from './names.js'

type Doc = Record<string, any>
export const TRACKING = `reviewing:${TRACKING_NODE}`

/** The caller of the engine's write, for writes made on its behalf (audited under them). */
const onBehalf = (context: HookContext): Params => {
  const { actor, user } = context.params as Doc
  return { actor, user } as Params
}

/** How often the newest published flow asks for a tracking report (6 if it cannot be read). */
export async function reportEveryMonths(app: Application, params: Params): Promise<number> {
  const flow = (await app
    .service('flows')
    .get(NEW_TECH_FLOW, params)
    .catch(() => undefined)) as { definition?: { nodes: Doc[] } } | undefined
  const months = flow?.definition?.nodes.find((n) => n.id === TRACKING_NODE)?.everyMonths
  return typeof months === 'number' && months > 0 ? months : 6
}

/** Start (开展): the operators and the leader get their authorization; tracking is scheduled. */
async function launch(app: Application, project: Doc, params: Params): Promise<void> {
  const started = today()
  const operators = [...new Set([project.leaderId, ...operatorsOf(project)].filter(Boolean))]
  const actor = (params as Doc).actor as { name?: string } | undefined
  const authorization = await grantAuthorizations(
    app,
    {
      projectId: project.id,
      projectName: project.name,
      operators,
      date: started,
      approvedBy: actor?.name ?? '新技术准入'
    },
    params
  )
  await app.service(PATH.projects).patch(
    project.id,
    {
      startedAt: started,
      nextReportDue: addMonths(started, await reportEveryMonths(app, params)),
      authorization: { ...authorization, operators }
    },
    params
  )
}

/** A decision that leads back to tracking (continue, extend, rework) is kept in the history and cleared. */
async function archiveDecision(
  app: Application,
  project: Doc,
  params: Params,
  patch: Doc = {}
): Promise<void> {
  const entry = {
    decision: project.evaluationDecision ?? null,
    extendUntil: project.extendUntil ?? null,
    opinion: project.evaluationOpinion ?? null,
    at: new Date().toISOString(),
    by: ((params as Doc).actor as Doc | undefined)?.id ?? null
  }
  // An extension (项目延期) runs to its date: the next report is due then.
  const extended =
    project.evaluationDecision === 'extend' && project.extendUntil
      ? { nextReportDue: project.extendUntil }
      : {}
  await app.service(PATH.projects).patch(
    project.id,
    {
      evaluations: [...((project.evaluations as Doc[]) ?? []), entry],
      evaluationDecision: null,
      extendUntil: null,
      evaluationOpinion: null,
      ...extended,
      ...patch
    },
    params
  )
}

/** 转为常规技术: the project enters the hospital's catalogue of mature technologies. */
async function convert(app: Application, project: Doc, params: Params): Promise<void> {
  const rule = (await app
    .service(PATH.rules)
    .find({ query: { key: 'default', $limit: 1 }, paginate: false })) as Doc[]
  const metrics = metricsOf(project, rule[0])
  const entry = (await app.service(PATH.mature).create(
    {
      name: project.name,
      dept: project.applyDept,
      type: project.type,
      description: project.content ?? '',
      qualityControl: project.qualityControl ?? null,
      since: project.startedAt ?? null,
      source: 'conversion',
      projectId: project.id,
      state: 'approved',
      ownerId: project.ownerId,
      deptId: project.deptId,
      conversion: {
        ...metrics,
        decidedBy: ((params as Doc).actor as Doc | undefined)?.id ?? null,
        opinion: project.evaluationOpinion ?? null
      }
    },
    params
  )) as Doc
  await app.service(PATH.projects).patch(project.id, { convertedAt: today(), matureId: entry.id }, params)
}

/**
 * Follows the record's state as the flow engine writes it: entering tracking the first time
 * starts the project; returning to it closes an evaluation; the ends convert or stop it.
 */
export async function followState(context: HookContext): Promise<void> {
  const data = (context.data ?? {}) as Doc
  if (
    context.method !== 'patch' ||
    context.params.provider ||
    typeof data.state !== 'string' ||
    Array.isArray(context.result)
  )
    return
  const project = context.result as Doc
  const params = onBehalf(context)
  if (project.state === TRACKING && !project.startedAt) return launch(context.app, project, params)
  if (project.state === TRACKING && project.evaluationDecision)
    return archiveDecision(context.app, project, params)
  if (project.state === 'converted' && !project.matureId) return convert(context.app, project, params)
  if (project.state === 'stopped') {
    const revoked = await revokeAuthorizations(context.app, project.id, params)
    return archiveDecision(context.app, project, params, {
      authorization: { ...(project.authorization ?? {}), revoked }
    })
  }
}
