import { AsyncResource } from 'node:async_hooks'
import type PgBoss from 'pg-boss'
import type { JobContext, JobHandler, JobProgress, JobStatus, Queryable } from '@medaffairs/plugin-sdk'
import type { Logger } from '../logger.js'
import { ProgressThrottle } from './progress.js'
import type { StatusQueries } from './status.js'

export type JobEvent = 'progress' | 'patched'

export interface WorkerDeps {
  boss: PgBoss
  /** The workers' own connection (never a request's transaction). */
  internal: Queryable
  statuses: StatusQueries
  schema: string
  pollingMs: number
  progressIntervalMs: number
  logger: Logger
  emit(event: JobEvent, status: JobStatus): void
}

interface Running {
  controller: AbortController
  done: Promise<void>
}

type Outcome = { ok: true; result: unknown } | { ok: false; message: string }

/**
 * Created at module load, outside any request: the polling loops run in its async context,
 * so they (and the handlers) never inherit a request's transaction (AsyncLocalStorage).
 */
const detached = new AsyncResource('medaffairs-jobs')

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Settles with the handler, or rejects when the job expires or its signal is aborted. */
function guard<T>(work: Promise<T>, seconds: number, controller: AbortController): Promise<T> {
  // A handler that outlives its deadline must not raise an unhandled rejection later.
  work.catch(() => undefined)
  let timer: NodeJS.Timeout | undefined
  const stopped = new Promise<never>((_, reject) => {
    const onAbort = () =>
      reject(controller.signal.reason instanceof Error ? controller.signal.reason : new Error('job aborted'))
    if (controller.signal.aborted) onAbort()
    controller.signal.addEventListener('abort', onAbort, { once: true })
    timer = setTimeout(() => controller.abort(new Error(`job expired after ${seconds} s`)), seconds * 1000)
  })
  return Promise.race([work, stopped]).finally(() => clearTimeout(timer))
}

/**
 * Runs one queue's handler with up to `concurrency` jobs at once. It asks pg-boss for as many
 * jobs as it has free slots (one `FOR UPDATE SKIP LOCKED` statement, so two instances never
 * get the same job), polls again at once while the queue has more, and completes or fails
 * each job itself so that a slow job never holds the others back.
 */
export class QueueWorker {
  readonly #running = new Map<string, Running>()
  #stopping = false
  #maybeMore = false
  #checkedAt = 0
  #wake: (() => void) | undefined
  #loop: Promise<void> | undefined

  constructor(
    readonly name: string,
    private readonly handler: JobHandler,
    private readonly concurrency: number,
    private readonly deps: WorkerDeps
  ) {}

  start(): void {
    this.#loop = detached.runInAsyncScope(() => this.#run())
  }

  /** Polls now (a job was just queued by this instance). */
  wake(): void {
    this.#wake?.()
  }

  /** Aborts a job running here (cancelled through this instance). */
  abort(id: string, reason: string): void {
    this.#running.get(id)?.controller.abort(new Error(reason))
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        await this.#abortFinishedElsewhere()
        await this.#fetch()
      } catch (error) {
        this.deps.logger.warn({ err: error, queue: this.name }, 'jobs: polling failed')
        this.#maybeMore = false
      }
      if (this.#stopping) break
      if (!this.#maybeMore || this.#running.size >= this.concurrency) await this.#nap(this.deps.pollingMs)
    }
  }

  #nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = done
    })
  }

  async #fetch(): Promise<void> {
    const free = this.concurrency - this.#running.size
    if (free <= 0) return
    const jobs = await this.deps.boss.fetch<unknown>(this.name, { batchSize: free, includeMetadata: true })
    this.#maybeMore = jobs.length === free
    for (const job of jobs) this.#start(job)
  }

  /** A job cancelled through another instance, or expired by maintenance, stops here too. */
  async #abortFinishedElsewhere(): Promise<void> {
    // Once per polling interval: a busy queue loops without napping.
    if (this.#running.size === 0 || Date.now() - this.#checkedAt < this.deps.pollingMs) return
    this.#checkedAt = Date.now()
    const { rows } = await this.deps.internal.query<{ id: string; state: string }>(
      `SELECT id, state::text AS state FROM ${this.deps.schema}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state <> 'active'`,
      [this.name, [...this.#running.keys()]]
    )
    for (const r of rows)
      this.abort(r.id, r.state === 'cancelled' ? 'job cancelled' : `job is now ${r.state}`)
  }

  #start(job: PgBoss.JobWithMetadata<unknown>): void {
    const controller = new AbortController()
    const done = this.#execute(job, controller)
      .catch((error) =>
        this.deps.logger.error(
          { err: error, queue: this.name, job: job.id },
          'jobs: could not record the end of a job'
        )
      )
      .finally(() => {
        this.#running.delete(job.id)
        if (this.#maybeMore) this.wake()
      })
    this.#running.set(job.id, { controller, done })
  }

  async #execute(job: PgBoss.JobWithMetadata<unknown>, controller: AbortController): Promise<void> {
    const { internal, statuses, boss } = this.deps
    // Jobs sent by a schedule have no record yet: progress needs one.
    await internal.query('INSERT INTO _job_info (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      job.id,
      this.name
    ])
    const started = await statuses.get(internal, job.id, this.name)
    if (started) this.deps.emit('patched', started)
    const throttle = this.#throttle(job.id, started)
    const ctx: JobContext = {
      id: job.id,
      attempt: Number(job.retryCount) + 1,
      signal: controller.signal,
      progress: (done, total, message) => throttle.report({ done, total, message })
    }
    const outcome = await this.#call(job, ctx, controller)
    await throttle
      .flush()
      .catch((error) => this.deps.logger.warn({ err: error, job: job.id }, 'jobs: progress not saved'))
    throttle.dispose()
    // Only an active job changes: a job cancelled meanwhile stays cancelled.
    if (outcome.ok) await boss.complete(this.name, job.id, { result: outcome.result ?? null })
    else await boss.fail(this.name, job.id, { message: outcome.message })
    const final = await statuses.get(internal, job.id, this.name)
    if (final) this.deps.emit('patched', final)
  }

  async #call(
    job: PgBoss.JobWithMetadata<unknown>,
    ctx: JobContext,
    controller: AbortController
  ): Promise<Outcome> {
    try {
      const work = Promise.resolve().then(() => this.handler(job.data, ctx))
      return { ok: true, result: await guard(work, Number(job.expireInSeconds), controller) }
    } catch (error) {
      this.deps.logger.warn(
        { err: error, queue: this.name, job: job.id, attempt: ctx.attempt },
        'jobs: a job failed'
      )
      return { ok: false, message: messageOf(error) }
    }
  }

  #throttle(id: string, started: JobStatus | undefined): ProgressThrottle {
    const write = async (progress: JobProgress) => {
      await this.deps.internal.query(
        'UPDATE _job_info SET progress = $2::jsonb, updated_at = now() WHERE id = $1',
        [id, JSON.stringify(progress)]
      )
      if (started) this.deps.emit('progress', { ...started, progress })
    }
    return new ProgressThrottle(this.deps.progressIntervalMs, write, (error) =>
      this.deps.logger.warn({ err: error, job: id }, 'jobs: progress not saved')
    )
  }

  /**
   * Stops fetching, lets running jobs finish until `deadline`, then interrupts the rest: they
   * are failed with a message and pg-boss retries them (on this or another instance).
   */
  async stop(deadline: number): Promise<void> {
    this.#stopping = true
    this.wake()
    await this.#loop
    const all = () => Promise.allSettled([...this.#running.values()].map((r) => r.done))
    const timedOut = await Promise.race([
      all().then(() => false),
      sleep(Math.max(0, deadline - Date.now())).then(() => true)
    ])
    if (!timedOut) return
    for (const id of this.#running.keys())
      this.abort(id, 'interrupted: the server stopped before the job finished')
    await all()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
