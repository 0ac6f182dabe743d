import type { Application } from '@feathersjs/feathers'
import type { Db, JobQueue, Logger } from '@medaffairs/plugin-sdk'
import type { AuditInput } from '../audit/audit-log.js'
import type { FilesModule } from '../files/setup.js'
import type { PluginRegistry } from '../plugins/loader.js'
import { transferActor, type Actors } from './caller.js'
import { JOB_EXPORT, JOB_IMPORT, TRANSFER_LIMITS, type TransferDeps, type TransferLimits } from './deps.js'
import { runExport, type ExportJobData } from './export-job.js'
import { runImport, type ImportJobData } from './import-job.js'
import { UserImportsService } from './users/users-import.js'
import {
  ExportsService,
  ImportsService,
  queueSource,
  templateMiddleware,
  TemplateService
} from './services.js'

export interface TransferOptions {
  db: Db
  registry: PluginRegistry
  actors: Actors
  files: Pick<FilesModule, 'store' | 'access'>
  audit: { append(inputs: AuditInput[]): Promise<void> }
  logger: Logger
  /** The durable job queue; default `app.get('jobs')`, read at each call (it may be wired later). */
  jobs?: () => JobQueue | undefined
  limits?: Partial<TransferLimits>
}

export interface TransferModule {
  deps: TransferDeps
  /**
   * Registers the import and export handlers on a queue (idempotent). Called at setup when the
   * queue is already there, and before the first enqueue otherwise; worker-only instances (which
   * serve no requests) must call it themselves once the queue exists.
   */
  registerJobs(queue: JobQueue): Promise<void>
}

/**
 * Excel/CSV import and export for every collection (`imports`, `imports/template`,
 * `exports`). Both run as durable jobs that call the collection's service with the
 * requester's identity, so scope, writable and readable fields, masking, validation and
 * per-row audit apply exactly as in the web forms. Call after the plugins and the files module.
 */
export async function setupTransfer(app: Application, options: TransferOptions): Promise<TransferModule> {
  const deps: TransferDeps = {
    app,
    db: options.db,
    registry: options.registry,
    actors: options.actors,
    files: options.files,
    audit: options.audit,
    logger: options.logger,
    jobs: options.jobs ?? (() => app.get('jobs') as JobQueue | undefined),
    limits: { ...TRANSFER_LIMITS, ...options.limits },
    async notify(input) {
      // The job's work is done and saved: a failed notification must not turn it into a failure.
      await app
        .service('notifications')
        .create(input)
        .catch((err: unknown) =>
          options.logger.warn({ err, kind: input.kind }, 'transfer: notification failed')
        )
    }
  }
  const registered = new WeakMap<JobQueue, Promise<void>>()
  const registerJobs = (queue: JobQueue): Promise<void> => {
    let done = registered.get(queue)
    if (!done) {
      done = (async () => {
        await queue.register<ExportJobData>(JOB_EXPORT, (data, ctx) => runExport(deps, data, ctx), {
          concurrency: 2
        })
        await queue.register<ImportJobData>(JOB_IMPORT, (data, ctx) => runImport(deps, data, ctx), {
          concurrency: 1
        })
      })()
      registered.set(queue, done)
    }
    return done
  }
  const queue = queueSource(deps, registerJobs)
  const hooks = { around: { all: [transferActor(options.actors)] } }
  app.use('imports/template', new TemplateService(deps), {
    methods: ['find'],
    koa: { before: [templateMiddleware(deps)] }
  })
  app.service('imports/template').hooks(hooks)
  app.use('imports', new ImportsService(deps, queue), { methods: ['create', 'get'] })
  app.service('imports').hooks(hooks)
  app.use('exports', new ExportsService(deps, queue), { methods: ['create', 'get'] })
  app.service('exports').hooks(hooks)
  app.use('user-imports', new UserImportsService(deps), { methods: ['find', 'create'] })
  app.service('user-imports').hooks(hooks)
  const now = deps.jobs()
  if (now) await registerJobs(now)
  return { deps, registerJobs }
}
