/** Durable background work (imports, exports, purges, reminders, backups). */
export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'failed' | 'cancelled'

export interface JobProgress {
  done: number
  total?: number
  message?: string
}

export interface JobStatus {
  id: string
  name: string
  state: JobState
  progress: JobProgress | null
  /** What the handler returned (e.g. `{ fileId }` of an export). */
  result?: unknown
  error?: string | null
  createdBy?: string | null
  createdAt: string
  startedAt?: string | null
  completedAt?: string | null
  attempts?: number
}

export interface JobContext {
  id: string
  attempt: number
  /** Records progress (persisted, and pushed over the socket to whoever started the job). */
  progress(done: number, total?: number, message?: string): Promise<void>
  /** Aborted when the job is cancelled or the worker stops. */
  signal: AbortSignal
}

export type JobHandler<T = any> = (data: T, ctx: JobContext) => Promise<unknown>

export interface JobOptions {
  /** Tries after the first failure (default 3), with exponential backoff from `retryDelaySeconds`. */
  retryLimit?: number
  retryDelaySeconds?: number
  /** Only one queued or running job per key (e.g. one nightly backup). */
  singletonKey?: string
  startAfter?: Date
  /** A running job is failed (and retried) after this long. */
  expireInSeconds?: number
  /** Who started it: progress and the result go to this user. */
  createdBy?: string
}

export interface JobQueue {
  register<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }): Promise<void>
  enqueue<T>(name: string, data: T, options?: JobOptions): Promise<string>
  /** A recurring job (cron syntax, server time zone). */
  schedule(name: string, cron: string, data?: unknown, options?: JobOptions): Promise<void>
  get(id: string): Promise<JobStatus | undefined>
  cancel(id: string): Promise<void>
}
