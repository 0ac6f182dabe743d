import type { JobProgress } from '@medaffairs/plugin-sdk'

/**
 * Throttles one job's progress: a handler may report on every row of a 100 000-row import,
 * but the database and the sockets see at most one write per `intervalMs`. The latest value
 * always wins and is written by a trailing timer or by the final `flush()`.
 */
export class ProgressThrottle {
  #lastWrite = 0
  #pending: JobProgress | undefined
  #timer: NodeJS.Timeout | undefined
  #writing: Promise<void> = Promise.resolve()
  #closed = false

  constructor(
    private readonly intervalMs: number,
    private readonly write: (progress: JobProgress) => Promise<void>,
    private readonly onError: (error: unknown) => void
  ) {}

  /** Resolves once written when it is written at once; a throttled value resolves immediately. */
  report(progress: JobProgress): Promise<void> {
    // A handler that reports after it returned must not show its finished job as running.
    if (this.#closed) return Promise.resolve()
    this.#pending = progress
    if (this.#timer) return Promise.resolve()
    const wait = this.#lastWrite + this.intervalMs - Date.now()
    if (wait <= 0) return this.flush()
    this.#timer = setTimeout(() => void this.flush().catch(this.onError), wait)
    return Promise.resolve()
  }

  /** Writes the pending value now (at the end of a job, so the last progress is kept). */
  flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const progress = this.#pending
    if (!progress) return this.#writing
    this.#pending = undefined
    this.#lastWrite = Date.now()
    // Writes stay in order even when one is slow; a failed write does not block the next.
    const run = this.#writing.catch(() => undefined).then(() => this.write(progress))
    this.#writing = run
    return run
  }

  dispose(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#pending = undefined
  }
}
