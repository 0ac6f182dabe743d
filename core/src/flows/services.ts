import { BadRequest, Forbidden, NotAuthenticated, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { Actor } from '@medaffairs/plugin-sdk'
import { mayAdminister } from '../definitions/services.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { ActorResolver } from '../records/actor.js'
import type { FlowAccess } from './access.js'
import { shapeTask } from './access.js'
import type { FlowCatalog } from './catalog.js'
import type { FlowEngine } from './engine.js'
import { withInstanceTitles, withRecordTitles } from './titles.js'
import { BOXES, type Box, type Inbox, instanceSummary } from './inbox.js'
import { checkKeyFlow, keyVisible } from './key-scope.js'
import { toInstance, type FlowStore } from './store.js'
import type { ActInput, ActorRef, Doc, InstanceRow } from './types.js'
import { choosesNext, instanceView, withAssignees } from './view.js'

export interface ServiceDeps {
  app: Application
  engine: FlowEngine
  store: FlowStore
  catalog: FlowCatalog
  access: FlowAccess
  inbox: Inbox
  actors: ActorResolver
  registry: PluginRegistry
  paginate: { default: number; max: number }
}

type P = Params & { actor?: Actor; user?: Doc }

/** The caller: resolved by the `withActor` guard for external calls; internal callers pass `actor` or `user`. */
export async function actorOf(params: P, actors: ActorResolver): Promise<Actor> {
  if (params.actor) return params.actor
  if (params.user) return (params.actor = await actors.fromUser(params.user))
  throw new NotAuthenticated('请先登录 (sign in first)')
}

const refOf = (a: Actor): ActorRef => ({ id: a.id, name: a.name ?? a.username ?? null, actor: a })
const text = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !v || v.length > 200)
    throw new BadRequest(`缺少 ${field} (${field} is required)`, { errors: [{ field, reason: 'required' }] })
  return v
}
const limitOf = (q: Doc, d: ServiceDeps['paginate']) =>
  Math.max(1, Math.min(Number(q.$limit) || d.default, d.max))

/** `/api/flows`: the published flows the caller may start; get = one flow's newest definition. */
export class FlowsService {
  constructor(private readonly d: ServiceDeps) {}

  /** `?all=true` (the designer's list, for those who may change definitions): every flow, whoever may start it. */
  async find(params: P) {
    const actor = await actorOf(params, this.d.actors)
    const all = String((params.query as Doc | undefined)?.all) === 'true'
    if (all && !mayAdminister(actor, 'update'))
      throw new Forbidden('无权修改流程定义 (not allowed to change flow definitions)')
    const flows = keyVisible(params, await this.d.catalog.list(), (f) => f.def.key).filter(
      (f) => all || this.d.access.mayStart(actor, f.def)
    )
    return flows.map(({ def, version }) => ({
      key: def.key,
      label: def.label,
      collection: def.collection,
      version,
      ...(all ? { shipped: this.d.catalog.shipped(def.key) } : {})
    }))
  }

  async get(key: string, params: P) {
    await actorOf(params, this.d.actors)
    checkKeyFlow(params, String(key))
    const { def, version } = await this.d.catalog.latest(String(key))
    return { key: def.key, version, definition: def }
  }
}

/** `POST /api/flows/start {flowKey, collection, recordId}`: the starter must be able to read the record. */
export class FlowStartService {
  constructor(private readonly d: ServiceDeps) {}

  async create(data: Doc, params: P) {
    const actor = await actorOf(params, this.d.actors)
    const flowKey = text(data?.flowKey, 'flowKey')
    const collection = text(data?.collection, 'collection').replace(/-/g, '_')
    const recordId = text(data?.recordId, 'recordId')
    checkKeyFlow(params, flowKey)
    const flow = await this.d.catalog.latest(flowKey)
    if (flow.def.collection !== collection)
      throw new BadRequest(
        `流程「${flowKey}」用于 ${flow.def.collection}，不能用于 ${collection} (the flow runs on another collection)`,
        { errors: [{ field: 'collection', reason: `expected ${flow.def.collection}` }] }
      )
    if (!this.d.access.mayStart(actor, flow.def))
      throw new Forbidden('无权发起此流程 (not allowed to start this flow)')
    const path = this.d.registry.collections.get(collection)?.path
    if (!path)
      throw new BadRequest(`数据集「${collection}」不存在 (unknown collection)`, {
        errors: [{ field: 'collection', reason: 'unknown' }]
      })
    // Through the collection's own pipeline with the caller's params: scope, masking, existence.
    await this.d.app.service(path).get(recordId, { ...params, query: {} })
    const instance = await this.d.engine.start(flow, recordId, refOf(actor))
    return instanceSummary(instance, this.d.catalog)
  }
}

/** `/api/flow-instances`: get = instance with steps, tasks, comments and the record; find = mine, or a record's. */
export class FlowInstancesService {
  constructor(private readonly d: ServiceDeps) {}

  async find(params: P) {
    const actor = await actorOf(params, this.d.actors)
    const q = (params.query ?? {}) as Doc
    if (q.recordId !== undefined) {
      const collection = text(q.collection, 'collection').replace(/-/g, '_')
      const { rows } = await this.d.store.db.query(
        'SELECT * FROM _flow_instances WHERE collection = $1 AND record_id = $2 ORDER BY id DESC LIMIT 100',
        [collection, text(q.recordId, 'recordId')]
      )
      const visible: InstanceRow[] = []
      for (const i of keyVisible(params, rows.map(toInstance), (r) => r.flowKey))
        if (await this.d.access.canView(actor, i)) visible.push(i)
      return { data: await withAssignees(this.d, visible), next: null }
    }
    const { data, next } = await this.d.inbox.list(actor.id, 'started', limitOf(q, this.d.paginate), q.after)
    return {
      data: await withInstanceTitles(
        this.d.app,
        this.d.registry,
        actor,
        keyVisible(params, data, (r) => r.flowKey as string)
      ),
      next
    }
  }

  async get(id: string, params: P) {
    const actor = await actorOf(params, this.d.actors)
    const instance = await this.d.store.instance(String(id))
    if (!instance) throw new NotFound('流程实例不存在 (no such flow instance)')
    checkKeyFlow(params, instance.flowKey)
    if (!(await this.d.access.canView(actor, instance)))
      throw new Forbidden('无权查看此流程 (not allowed to see this flow)')
    return instanceView(this.d, instance, actor, params)
  }
}

/** `/api/flow-tasks`: find = the inbox (`?box=todo|done|started|cc`, keyset `after`); get = one task of mine or of a flow I see. */
export class FlowTasksService {
  constructor(private readonly d: ServiceDeps) {}

  async find(params: P) {
    const actor = await actorOf(params, this.d.actors)
    const q = (params.query ?? {}) as Doc
    const box = (q.box ?? 'todo') as Box
    if (!BOXES.includes(box))
      throw new BadRequest(`box 应为 ${BOXES.join('/')} (unknown box)`, {
        errors: [{ field: 'box', reason: BOXES.join(', ') }]
      })
    const page = await this.d.inbox.list(actor.id, box, limitOf(q, this.d.paginate), q.after)
    const data = keyVisible(params, page.data, (r) => (r.flow?.key ?? r.flowKey) as string)
    const titled = box === 'started' ? withInstanceTitles : withRecordTitles
    return { ...page, data: await titled(this.d.app, this.d.registry, actor, data) }
  }

  async get(id: string, params: P) {
    const actor = await actorOf(params, this.d.actors)
    const task = await this.d.store.task(String(id))
    if (!task) throw new NotFound('待办不存在 (no such task)')
    const instance = (await this.d.store.instance(task.instanceId))!
    checkKeyFlow(params, instance.flowKey)
    if (task.assigneeId !== actor.id && !(await this.d.access.canView(actor, instance)))
      throw new Forbidden('无权查看此待办 (not allowed to see this task)')
    const { def } = await this.d.catalog.at(instance.flowKey, instance.version)
    const step = (await this.d.store.step(task.stepId))!
    const node = def.nodes.find((n) => n.id === task.nodeId)!
    // The approver picks the next assignees when a step right after this one is `chosen`.
    const chooseNext = choosesNext(def, node.id)
    return {
      ...shapeTask(task, actor.id, step.state === 'active'),
      nodeLabel: node.label,
      nodeType: node.type,
      mode: node.mode ?? null,
      scoring: node.scoring ?? null,
      form: node.form ?? null,
      editableFields: node.editableFields ?? [],
      chooseNext,
      instance: await instanceSummary(instance, this.d.catalog)
    }
  }
}

/** `POST /api/flow-actions {taskId | instanceId, action, …}`: every action on a task, plus withdraw and comment on an instance. */
export class FlowActionsService {
  constructor(private readonly d: ServiceDeps) {}

  async create(data: ActInput, params: P) {
    const actor = await actorOf(params, this.d.actors)
    if ((params as { apiKey?: unknown }).apiKey) await this.checkKey(data, params)
    if (data?.action === 'comment' && !data.taskId) await checkView(this.d, actor, data.instanceId)
    const { instance, task } = await this.d.engine.act(data, refOf(actor))
    // Only a score task's visibility depends on its round being open.
    const step = task?.kind === 'score' ? await this.d.store.step(task.stepId) : null
    return {
      instance: await instanceSummary(instance, this.d.catalog),
      task: task ? shapeTask(task, actor.id, step?.state === 'active') : null
    }
  }

  /** A keyed call acts only on flows of its key's scope; unknown targets are left to the engine's 404. */
  private async checkKey(data: ActInput, params: P): Promise<void> {
    const task = typeof data?.taskId === 'string' && data.taskId ? await this.d.store.task(data.taskId) : null
    const instanceId = task?.instanceId ?? (typeof data?.instanceId === 'string' ? data.instanceId : null)
    const instance = instanceId ? await this.d.store.instance(instanceId) : null
    if (instance) checkKeyFlow(params, instance.flowKey)
  }
}

async function checkView(
  d: ServiceDeps,
  actor: Actor,
  instanceId: unknown,
  params?: P
): Promise<InstanceRow> {
  const instance = await d.store.instance(text(instanceId, 'instanceId'))
  if (!instance) throw new NotFound('流程实例不存在 (no such flow instance)')
  if (params) checkKeyFlow(params, instance.flowKey)
  if (!(await d.access.canView(actor, instance)))
    throw new Forbidden('无权查看此流程 (not allowed to see this flow)')
  return instance
}

/** `/api/flow-comments`: the review conversation of an instance (`?instanceId=`), open to everyone who sees it. */
export class FlowCommentsService {
  constructor(private readonly d: ServiceDeps) {}

  async find(params: P) {
    const actor = await actorOf(params, this.d.actors)
    const instance = await checkView(this.d, actor, (params.query as Doc | undefined)?.instanceId, params)
    return this.d.store.comments(instance.id)
  }

  async create(data: Doc, params: P) {
    const actor = await actorOf(params, this.d.actors)
    const instance = await checkView(this.d, actor, data?.instanceId, params)
    return this.d.engine.comment(
      instance.id,
      { text: data.text, attachments: data.attachments },
      refOf(actor)
    )
  }
}
