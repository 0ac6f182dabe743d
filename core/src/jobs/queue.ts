import type PgBoss from 'pg-boss'
import type { Db, JobHandler, JobOptions, JobQueue, JobStatus } from '@medaffairs/plugin-sdk'
import type { Logger } from '../logger.js'
import { callerExecutor, type BossExecutor, type BossHandle } from './boss.js'
import { purgeOrphansSql } from './migrations.js'
import type { JobsSettings } from './settings.js'
import { isJobId, StatusQueries } from './status.js'
import { QueueWorker, type JobEvent } from './worker.js'

export type JobListener = (event: JobEvent, status: JobStatus) => void

/** Recurring jobs follow the server's clock, as the contract says (pg-boss defaults to UTC). */
const SERVER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

/**
 * The JobQueue contract on pg-boss. Calls made by request code (enqueue, get, cancel) go
 * through `db`, so inside `db.transaction` they join it: a job enqueued by a request that
 * rolls back never runs. Workers use pg-boss's own connection (see boss.ts).
 */
export class PgBossQueue implements JobQueue {
  readonly #workers = new Map<string, QueueWorker>()
  readonly #queues = new Set<string>()
  readonly #listeners = new Set<JobListener>()
  readonly #statuses: StatusQueries
  readonly #boss: PgBoss
  readonly #purge: NodeJS.Timeout
  #stopped: Promise<void> | undefined

  constructor(
    private readonly db: Db,
    private readonly handle: BossHandle,
    private readonly settings: JobsSettings,
    private readonly logger: Logger
  ) {
    this.#boss = handle.boss
    this.#statuses = new StatusQueries(settings.schema)
    const purge = () =>
      void handle.internal
        .query(purgeOrphansSql(settings.schema))
        .catch((err) => logger.warn({ err }, 'jobs: purge failed'))
    this.#purge = setInterval(purge, 3600_000).unref()
  }

  /** Progress and state changes of jobs run by this instance. Returns the unsubscribe function. */
  on(listener: JobListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #emit(event: JobEvent, status: JobStatus): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, status)
      } catch (err) {
        this.logger.warn({ err, event }, 'jobs: a listener failed')
      }
    }
  }

  async register<T>(
    name: string,
    handler: JobHandler<T>,
    options: { concurrency?: number } = {}
  ): Promise<void> {
    if (this.#workers.has(name)) throw new Error(`jobs: a handler for "${name}" is already registered`)
    await this.#ensureQueue(name)
    // Instances of role `api` enqueue and report but leave the work to `worker` instances.
    if (!this.settings.work || this.#stopped) return
    const worker = new QueueWorker(name, handler as JobHandler, Math.max(1, options.concurrency ?? 1), {
      boss: this.#boss,
      internal: this.handle.internal,
      statuses: this.#statuses,
      schema: this.settings.schema,
      pollingMs: this.settings.pollingIntervalSeconds * 1000,
      progressIntervalMs: this.settings.progressIntervalMs,
      logger: this.logger,
      emit: (event, status) => this.#emit(event, status)
    })
    this.#workers.set(name, worker)
    worker.start()
  }

  async enqueue<T>(name: string, data: T, options: JobOptions = {}): Promise<string> {
    await this.#ensureQueue(name)
    const id = await this.db.transaction(() => this.#insert(name, data, options))
    // Inside a caller's transaction the job is not visible yet: the next poll finds it.
    if (!this.db.inTransaction()) this.#workers.get(name)?.wake()
    return id
  }

  async #insert(name: string, data: unknown, options: JobOptions): Promise<string> {
    const key = options.singletonKey
    if (key) {
      // One queued-or-running job per key, across instances: the check and the insert
      // happen under a lock on the key until this transaction ends.
      await this.db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `medaffairs.jobs:${name}:${key}`
      ])
      const { rows } = await this.db.query<{ id: string }>(
        `SELECT id FROM ${this.settings.schema}.job WHERE name = $1 AND singleton_key = $2 AND state < 'completed' ORDER BY created_on LIMIT 1`,
        [name, key]
      )
      if (rows[0]) return rows[0].id
    }
    const id = await this.#boss.send(
      name,
      jsonData(data),
      this.#sendOptions(options, callerExecutor(this.db))
    )
    if (!id) throw new Error(`jobs: "${name}" was not queued`)
    await this.db.query('INSERT INTO _job_info (id, name, created_by) VALUES ($1, $2, $3)', [
      id,
      name,
      options.createdBy ?? null
    ])
    return id
  }

  #sendOptions(o: JobOptions, db?: BossExecutor): PgBoss.SendOptions {
    const s = this.settings
    // pg-boss rejects keys present with an undefined value: add optional ones only when set.
    const out: PgBoss.SendOptions = {
      retryLimit: o.retryLimit ?? s.retryLimit,
      retryDelay: o.retryDelaySeconds ?? s.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: o.expireInSeconds ?? s.expireInSeconds
    }
    if (o.startAfter) out.startAfter = o.startAfter
    if (o.singletonKey) out.singletonKey = o.singletonKey
    if (db) out.db = db
    return out
  }

  /** One schedule per name (a second call replaces it); not to be called inside a transaction. */
  async schedule(name: string, cron: string, data?: unknown, options: JobOptions = {}): Promise<void> {
    // pg-boss writes the schedule on its own connection: on PGlite that would wait for the
    // caller's transaction forever.
    if (this.db.inTransaction()) throw new Error('jobs: schedule() cannot be called inside a transaction')
    await this.#ensureQueue(name)
    const { startAfter: _ignored, ...rest } = options
    await this.#boss.schedule(name, cron, jsonData(data), {
      ...this.#sendOptions(rest),
      tz: SERVER_TIME_ZONE
    })
  }

  get(id: string): Promise<JobStatus | undefined> {
    return this.#statuses.get(this.db, id)
  }

  find(filter: { createdBy: string | null; name?: string }, limit: number, skip: number) {
    return this.#statuses.find(this.db, filter, limit, skip)
  }

  async cancel(id: string): Promise<void> {
    const name = isJobId(id) ? await this.#statuses.nameOf(this.db, id) : undefined
    if (!name) return
    await this.#boss.cancel(name, id, { db: callerExecutor(this.db) })
    this.#workers.get(name)?.abort(id, 'job cancelled')
    const status = await this.get(id)
    if (status) this.#emit('patched', status)
  }

  /**
   * pg-boss needs each queue created once (a partition of its job table). On PostgreSQL its own
   * pool does it in a short transaction of its own; on PGlite everything is one connection, so
   * it goes through `db` to join (not wait for) a caller's transaction.
   */
  async #ensureQueue(name: string): Promise<void> {
    if (this.#queues.has(name)) return
    const q = this.db.driver === 'pg' ? this.handle.internal : this.db
    // pg-boss's own function (what boss.createQueue calls), idempotent. Two creations at once
    // deadlock on PostgreSQL (each attaches a partition to the job table): one at a time.
    await q.query(
      `WITH one_at_a_time AS (SELECT pg_advisory_xact_lock(hashtext('medaffairs.jobs.create_queue')))
       SELECT ${this.settings.schema}.create_queue($1, $2::json) FROM one_at_a_time`,
      [name, JSON.stringify({ policy: 'standard' })]
    )
    // Created inside a transaction that may yet roll back: check again next time.
    if (!this.db.inTransaction()) this.#queues.add(name)
  }

  /** Graceful stop: running jobs get until the timeout, then are interrupted and retried later. */
  stop(timeoutMs = this.settings.stopTimeoutMs): Promise<void> {
    this.#stopped ??= (async () => {
      clearInterval(this.#purge)
      const deadline = Date.now() + timeoutMs
      await Promise.all([...this.#workers.values()].map((w) => w.stop(deadline)))
      await this.#boss.stop({ graceful: true, close: true, wait: true, timeout: 1000 })
      await this.handle.close()
    })()
    return this.#stopped
  }
}

/**
 * Sent as JSON text: node-postgres would turn a top-level array into a PostgreSQL array
 * literal, not JSON.
 */
function jsonData(data: unknown): object {
  return JSON.stringify(data ?? null) as unknown as object
}
