import { NotFound } from '@feathersjs/errors'
import type { Application, HookContext, NextFunction } from '@feathersjs/feathers'
import type {
  CollectionDefinition,
  Db,
  JobQueue,
  PluginContext,
  PluginDefinition
} from '@medaffairs/plugin-sdk'
import { runMigrations } from '../db/migrations.js'
import type { Logger } from '../logger.js'
import { auditHook, type AuditHookDeps } from '../audit/audit-hook.js'
import { encryptAdapter, type FieldCrypto } from '../crypto/index.js'
import { configureConnections, connectionUsers, publishRecords } from '../records/channels.js'
import { recordsPipeline, type PipelineDeps } from '../records/pipeline.js'
import { DocumentService, ensureCollectionTable, syncIndexes } from '../storage/index.js'
import { orderPlugins } from './order.js'
import { runSeeds } from './seeds.js'
import { PluginStates } from './state.js'

export interface LoadOptions {
  db: Db
  logger: Logger
  settings: Record<string, Record<string, unknown>>
  paginate: { default: number; max: number }
  withDemo: boolean
  /** The records pipeline every collection service goes through. */
  pipeline: PipelineDeps
  /** The audit trail every collection write is recorded in. */
  audit: AuditHookDeps
  /** Encryption at rest of the fields marked sensitive. */
  crypto: FieldCrypto
  /** The durable job queue plugins register their background work on. */
  jobs?: JobQueue
  /** Whether a socket's session is still live (events stop when it ends). */
  isSessionLive(sid: string): Promise<boolean>
  /** The definition a collection runs with: its plugin's, extended by its published form (definitions). */
  effectiveDefinition?(def: CollectionDefinition, plugin: PluginDefinition): Promise<CollectionDefinition>
}

/** What the loader learnt: the plugins in load order and which plugin owns which service. */
export interface PluginRegistry {
  plugins: PluginDefinition[]
  states: PluginStates
  ownerOf: Map<string, string>
  /** Every collection by name, with the plugin that declares it. */
  collections: Map<string, { def: CollectionDefinition; plugin: string; path: string }>
}

/** The service path of a collection: its name with hyphens (`dictionary_items` → `dictionary-items`). */
export function collectionPath(def: CollectionDefinition): string {
  return def.name.replace(/_/g, '-')
}

/** Requests to a disabled plugin's services answer 404; its data stays where it is. */
function guardEnabled(states: PluginStates, plugin: string) {
  return async (context: HookContext, next: NextFunction) => {
    if (context.params.provider && !(await states.isEnabled(plugin))) {
      throw new NotFound(`模块「${plugin}」已停用 (the ${plugin} module is disabled)`, { plugin })
    }
    await next()
  }
}

function registerCollection(
  app: Application,
  def: CollectionDefinition,
  opts: LoadOptions,
  currentUser: ReturnType<typeof connectionUsers>
): string {
  const path = collectionPath(def)
  const kind = def.kind ?? 'business'
  const service = new DocumentService({ db: opts.db, definition: def, paginate: opts.paginate, multi: true })
  encryptAdapter(service, opts.crypto)
  app.use(path, service)
  // The pipeline is the outermost hook, so every other hook sees an authorized, scoped call.
  app.service(path).hooks({
    around: {
      all: [recordsPipeline(def.name, kind, opts.pipeline, def.subject?.field), auditHook(def, opts.audit)]
    }
  })
  publishRecords(app, path, def.name, kind, { ...opts.pipeline, currentUser })
  return path
}

/**
 * Validates and orders the plugins, runs their migrations, creates their collections,
 * registers their services and hooks, then seeds them.
 */
export async function loadPlugins(
  app: Application,
  core: PluginDefinition[],
  defs: PluginDefinition[],
  opts: LoadOptions
): Promise<PluginRegistry> {
  // The core's own modules load (and seed) first; plugins may rely on them.
  const plugins = [
    ...core,
    ...orderPlugins(
      defs,
      core.map((c) => c.name)
    )
  ]
  const states = new PluginStates(opts.db)
  const ownerOf = new Map<string, string>()
  const collections: PluginRegistry['collections'] = new Map()
  const contexts = new Map<string, PluginContext>()
  configureConnections(app)
  const currentUser = connectionUsers(app, opts.isSessionLive)
  for (const plugin of plugins) {
    const ctx: PluginContext = {
      app,
      db: opts.db,
      logger: opts.logger.child({ plugin: plugin.name }),
      settings: opts.settings[plugin.name] ?? {},
      demo: opts.withDemo,
      jobs: opts.jobs
    }
    contexts.set(plugin.name, ctx)
    await states.register(plugin.name, plugin.version)
    await runMigrations(opts.db, `plugin:${plugin.name}`, plugin.migrations ?? [])
    const paths: string[] = []
    for (const declared of plugin.collections ?? []) {
      // A published form may add fields and indexes; syncing the bare declaration would drop them.
      const def = (await opts.effectiveDefinition?.(declared, plugin)) ?? declared
      await ensureCollectionTable(opts.db, def)
      await syncIndexes(opts.db, def)
      const path = registerCollection(app, def, opts, currentUser)
      collections.set(def.name, { def, plugin: plugin.name, path })
      paths.push(path)
    }
    for (const s of plugin.services ?? []) {
      app.use(s.path, s.create(ctx), s.methods ? { methods: s.methods } : undefined)
      if (s.hooks) app.service(s.path).hooks(s.hooks)
      paths.push(s.path)
    }
    for (const path of paths) {
      if (ownerOf.has(path))
        throw new Error(
          `Service path "${path}" of plugin ${plugin.name} is already taken by ${ownerOf.get(path)}`
        )
      ownerOf.set(path, plugin.name)
      if (!plugin.essential) app.service(path).hooks({ around: { all: [guardEnabled(states, plugin.name)] } })
    }
  }
  for (const plugin of plugins) {
    for (const [path, hooks] of Object.entries(plugin.hooks ?? {})) app.service(path).hooks(hooks)
    await plugin.setup?.(contexts.get(plugin.name)!)
  }
  for (const plugin of plugins) {
    const ran = await runSeeds(opts.db, plugin, contexts.get(plugin.name)!, opts.withDemo)
    if (ran.length) opts.logger.info({ plugin: plugin.name, seeds: ran }, 'seeded')
  }
  return { plugins, states, ownerOf, collections }
}
