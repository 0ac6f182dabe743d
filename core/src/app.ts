import type { Server as HttpServer } from 'node:http'
import { feathers, type Application } from '@feathersjs/feathers'
import { bodyParser, koa, rest } from '@feathersjs/koa'
import socketio from '@feathersjs/socketio'
import koaQs from 'koa-qs'
import type { Db, PluginDefinition } from '@medaffairs/plugin-sdk'
import { loadConfig, repoRoot, type AppConfig } from './config.js'
import { applyHeapGrowth } from './heap-policy.js'
import { openFieldCrypto } from './crypto/index.js'
import { coreMigrations } from './db/core-migrations.js'
import { runMigrations } from './db/migrations.js'
import { openDb } from './db/open.js'
import { createAdmission } from './http/admission.js'
import { apiPrefix } from './http/api-prefix.js'
import { errorHandler } from './http/error-handler.js'
import { serveSpa } from './http/spa.js'
import { createLogger, type Logger } from './logger.js'
import { discoverPlugins } from './plugins/discover.js'
import { loadPlugins, type PluginRegistry } from './plugins/loader.js'
import { HealthService, ReadyService } from './services/health.js'
import { workspaceModule } from './services/workspace-module.js'
import { registerCoreServices, type CoreServices } from './services/core-services.js'
import { setupFiles, type FilesModule } from './files/index.js'
import { flowsModule, setupFlows, type FlowsModule } from './flows/index.js'
import { setupJobs, type Jobs } from './jobs/index.js'
import { registerCoreJobs } from './services/core-jobs.js'
import { setupTransfer, type TransferModule } from './transfer/index.js'
import { clientAddress, socketClientAddress, type ProxySettings } from './http/client-address.js'
import { setupIdentity } from './identity/setup.js'
import { setupDefinitions } from './definitions/index.js'
import { registerRefreshJob } from './definitions/refresh-job.js'
import { setupIntegration } from './integration/index.js'
import { viewsModule } from './views/module.js'
import { setupBackups, type BackupModule } from './backup/setup.js'
import { setupCluster } from './cluster/index.js'

export interface ServerOptions {
  /** Overrides of config/ and the environment (tests). */
  config?: Record<string, unknown>
  /** An open database to use instead of opening one from the config (tests). */
  db?: Db
  /** Plugins to load instead of discovering them in `pluginsDir`. */
  plugins?: PluginDefinition[]
}

export interface MedAffairsServer {
  app: Application & { listen(port: number): Promise<HttpServer> }
  config: AppConfig
  db: Db
  logger: Logger
  registry: PluginRegistry
  services: CoreServices
  files: FilesModule
  jobs: Jobs
  transfer: TransferModule
  /** The flow engine: approvals, reviews, expert scoring, tracking reports. */
  flows: FlowsModule
  /** Full backups: the scheduled job, `backups` service, download. */
  backups: BackupModule
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>
  /** Graceful shutdown: stop accepting, drain admitted requests, close sockets and the database. */
  close(): Promise<void>
}

/** Builds the whole server: database, migrations, plugins, HTTP and socket transports. */
export async function createServer(options: ServerOptions = {}): Promise<MedAffairsServer> {
  const config = loadConfig(options.config)
  applyHeapGrowth(config.heapGrowingPercent)
  const logger = createLogger(config.logLevel)
  const db =
    options.db ??
    (await openDb({
      databaseUrl: config.databaseUrl ?? undefined,
      dataDir: config.dataDir,
      poolSize: config.poolSize
    }))
  let closing = false
  const admission = createAdmission(config.admission)
  const app = koa(feathers()) as unknown as MedAffairsServer['app'] & ReturnType<typeof koa>

  // Koa reports connections the client dropped (e.g. an aborted upload); they are not failures of ours.
  ;(app as unknown as { on(e: string, f: (err: Error) => void): void }).on('error', (err) =>
    logger.debug({ err }, 'connection error')
  )
  // Compound filters nest AND/OR groups deeper than qs's default of 5 levels and list long $in arrays.
  koaQs(app as unknown as Parameters<typeof koaQs>[0], 'extended', {
    depth: 40,
    arrayLimit: 1000,
    parameterLimit: 5000
  })
  app.use(errorHandler(logger))
  app.use(apiPrefix(serveSpa(config.appDir)))
  app.use(admission.middleware)
  app.use(bodyParser())
  app.use(clientAddress())
  app.configure(rest())
  app.configure(
    socketio({ cors: { origin: false } }, (io) => socketClientAddress(io, app as unknown as ProxySettings))
  )

  // Before any service: in cluster mode feathers-sync wraps each service's `emit` as it mounts.
  const cluster = await setupCluster(app, config, logger)
  await runMigrations(db, 'core', coreMigrations)
  // Before anything writes records; a missing or wrong master key stops start-up here.
  const crypto = await openFieldCrypto(db, {
    dataDir: config.dataDir,
    masterKeyFile: config.crypto?.masterKeyFile,
    logger
  })
  app.use('health', new HealthService(), { methods: ['find'] })
  app.use('ready', new ReadyService(db, () => closing), { methods: ['find'] })
  const identity = await setupIdentity(app, db, config.identity)
  // Before the plugins: the loader asks it which definition each collection runs with.
  const definitions = await setupDefinitions(app, db, {
    actors: identity.pipeline.actors,
    audit: identity.audit,
    dataDir: config.dataDir,
    logger,
    registry: () => registry
  })
  identity.pipeline.validate = definitions.validate
  const jobs = await setupJobs(app, db, config, logger)

  const plugins = options.plugins ?? (await discoverPlugins(config.pluginsDir))
  const definitionOf = (name: string) => registry.collections.get(name)?.def
  const registry: PluginRegistry = await loadPlugins(
    app,
    [identity.module, viewsModule(definitionOf), definitions.module, flowsModule(), workspaceModule()],
    plugins,
    {
      db,
      logger,
      settings: config.plugins,
      paginate: config.paginate,
      withDemo: config.seed === 'demo',
      pipeline: identity.pipeline,
      audit: identity.auditHook,
      effectiveDefinition: definitions.effectiveDefinition,
      crypto,
      isSessionLive: (sid) => identity.sessions.isLive(sid),
      jobs: jobs.queue
    }
  )
  identity.pipeline.actors.setImplicitGrants(
    [...registry.collections.values()].flatMap(({ def }) =>
      (def.everyone ?? []).map((g) => ({ ...g, collection: def.name }))
    )
  )
  const lookups = definitions.engine.forms.lookups
  lookups.followDictionaryItems()
  await cluster.shareCaches({
    org: identity.org,
    masking: identity.pipeline.masking,
    forms: definitions.engine.forms,
    plugins: registry.states,
    dictionaries: lookups
  })
  const services = registerCoreServices(app, db, logger, identity, registry, jobs.queue)
  const files = await setupFiles(app, {
    db,
    registry,
    logger,
    actors: identity.pipeline.actors,
    audit: identity.audit,
    dataDir: config.dataDir,
    config: config.files
  })
  services.recycleBin.followers.push(files.binListener)
  await registerCoreJobs(app, jobs.queue, services, identity.audit, files, config)
  // Daily: 工龄 and other date-dependent computed fields of every collection.
  await registerRefreshJob(jobs.queue, definitions.engine, () => [...registry.collections.keys()])
  const backups = await setupBackups(app, {
    db,
    dataDir: config.dataDir,
    filesDir: files.config.dir,
    repoRoot: repoRoot(),
    config: config.backup,
    jobs: jobs.queue,
    actors: identity.pipeline.actors,
    audit: identity.audit,
    logger
  })
  // Excel/CSV import and export: after the plugins (collections), files (outputs) and the queue.
  const transfer = await setupTransfer(app, {
    db,
    registry,
    logger,
    actors: identity.pipeline.actors,
    files,
    audit: identity.audit,
    jobs: () => jobs.queue,
    limits: config.transfer
  })
  const flows = await setupFlows(app, {
    db,
    registry,
    pipeline: identity.pipeline,
    audit: identity.audit,
    logger,
    jobs: jobs.queue,
    paginate: config.paginate,
    files
  })
  // API keys, /api/openapi.json and /api/docs; last, so the key gate and the document see every service.
  await setupIntegration(app, {
    db,
    registry,
    logger,
    audit: identity.audit,
    actors: identity.pipeline.actors,
    settings: config.integration,
    maxLimit: config.paginate.max
  })

  let http: HttpServer | undefined
  return {
    app,
    config,
    db,
    logger,
    registry,
    services,
    files,
    jobs,
    transfer,
    flows,
    backups,
    async listen() {
      http = await app.listen(config.port)
      if (!http.listening) await new Promise((resolve) => http!.once('listening', resolve))
      const address = http.address()
      return typeof address === 'object' && address ? address.port : config.port
    },
    async close() {
      closing = true
      const server = http
      if (server) {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        if (!(await admission.drained(config.shutdownTimeoutMs)))
          logger.warn('shutdown: requests still running after the timeout')
        ;(app as unknown as { io?: { close(): void } }).io?.close()
        server.closeAllConnections()
        await stopped
      }
      // The HTTP server is closed above; let Feathers tear down the services only.
      ;(app as unknown as { server?: unknown }).server = undefined
      await (app as unknown as { teardown(): Promise<void> }).teardown()
      crypto.close()
      await cluster.close()
      if (!options.db) await db.close()
    }
  }
}
