import { Forbidden } from '@feathersjs/errors'
import type { Application, HookContext, NextFunction } from '@feathersjs/feathers'
import type { Db, JobQueue } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import type { FileAccess } from '../files/access.js'
import type { Logger } from '../logger.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { PipelineDeps } from '../records/pipeline.js'
import { withActor } from '../records/guards.js'
import { FlowAccess } from './access.js'
import { AssigneeResolver } from './assignees.js'
import { FlowCatalog } from './catalog.js'
import { FLOW_FILES, FlowEngine } from './engine.js'
import { publishFlowChanges } from './live.js'
import { Inbox } from './inbox.js'
import { FlowRuntime } from './runtime.js'
import {
  FlowActionsService,
  FlowCommentsService,
  FlowInstancesService,
  FlowsService,
  FlowStartService,
  FlowTasksService,
  type ServiceDeps
} from './services.js'
import { FlowStore } from './store.js'
import { FlowTimers } from './timers.js'

export interface FlowsSetup {
  db: Db
  registry: PluginRegistry
  /** The records pipeline's parts: actors for the caller, masking for what participants see of a record. */
  pipeline: PipelineDeps
  audit: AuditLog
  logger: Logger
  /** The durable queue: reminders and the digest are scheduled on it when given. */
  jobs?: JobQueue
  paginate?: { default: number; max: number }
  timers?: { remindEveryMinutes?: number; digestCron?: string }
  /** The files module: the review conversation's attachments are read as the instance is seen. */
  files?: { access: FileAccess }
}

export interface FlowsModule {
  engine: FlowEngine
  catalog: FlowCatalog
  timers: FlowTimers
  store: FlowStore
}

/** A session that must first change its password or enrol a second factor may not act in flows. */
async function fullSession(context: HookContext, next: NextFunction): Promise<void> {
  const restriction = (context.params as { authentication?: { restriction?: string } }).authentication
    ?.restriction
  if (context.params.provider && restriction)
    throw new Forbidden('请先完成账户设置 (finish your account setup first)', { restriction })
  await next()
}

/**
 * Wires the flow engine after the plugins are loaded: the catalog of their flows, the
 * services under /api, and the timers on the job queue. The tables come from
 * `flowMigrations` (core scope).
 */
export async function setupFlows(app: Application, s: FlowsSetup): Promise<FlowsModule> {
  const store = new FlowStore(s.db)
  const pluginFlows = s.registry.plugins.flatMap((p) => p.flows ?? [])
  for (const f of pluginFlows)
    if (!s.registry.collections.has(f.collection))
      throw new Error(`flow ${f.key} runs on an unknown collection ${f.collection}`)
  const catalog = new FlowCatalog(app, s.db, pluginFlows)
  const resolver = new AssigneeResolver(s.db)
  const runtime = new FlowRuntime(app, store, resolver, s.registry)
  const live = publishFlowChanges(app, store, s.logger)
  const engine = new FlowEngine({
    app,
    db: s.db,
    store,
    catalog,
    runtime,
    resolver,
    registry: s.registry,
    audit: s.audit,
    logger: s.logger,
    jobs: s.jobs,
    onChanged: live.changed
  })
  const access = new FlowAccess(app, s.registry, store, s.pipeline.masking)
  s.files?.access.owners.set(FLOW_FILES, {
    async canRead(instanceId, actor) {
      const instance = await store.instance(instanceId)
      return !!instance && access.canView(actor, instance)
    }
  })
  const deps: ServiceDeps = {
    app,
    engine,
    store,
    catalog,
    access,
    inbox: new Inbox(s.db, catalog),
    actors: s.pipeline.actors,
    registry: s.registry,
    paginate: s.paginate ?? { default: 20, max: 100 }
  }
  const hooks = { around: { all: [withActor(s.pipeline.actors), fullSession] } }
  const mount = (path: string, service: object, methods: string[], events: string[] = []) => {
    app.use(path, service as any, { methods, events })
    app.service(path).hooks(hooks)
  }
  mount('flows', new FlowsService(deps), ['find', 'get'])
  mount('flows/start', new FlowStartService(deps), ['create'])
  mount('flow-instances', new FlowInstancesService(deps), ['find', 'get'])
  mount('flow-tasks', new FlowTasksService(deps), ['find', 'get'], ['changed'])
  live.publish()
  mount('flow-actions', new FlowActionsService(deps), ['create'])
  mount('flow-comments', new FlowCommentsService(deps), ['find', 'create'])
  const timers = new FlowTimers(s.db, store, engine, s.logger)
  if (s.jobs) await timers.schedule(s.jobs, s.timers)
  return { engine, catalog, timers, store }
}
