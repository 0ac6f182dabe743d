import type { Db, JobStatus } from '@medaffairs/plugin-sdk'
import { createJobQueue, type JobsSettings, type PgBossQueue } from '../../src/jobs/index.js'
import { createLogger } from '../../src/logger.js'

/** Short intervals so that a test waits for the queue in tenths of a second, not seconds. */
export const FAST: Partial<JobsSettings> = {
  pollingIntervalSeconds: 0.5,
  retryDelaySeconds: 1,
  cronMonitorIntervalSeconds: 1,
  cronWorkerIntervalSeconds: 1,
  stopTimeoutMs: 2000
}

export const silent = createLogger('silent')

export function openQueue(db: Db, over: Partial<JobsSettings> = {}): Promise<PgBossQueue> {
  return createJobQueue(db, { jobs: { ...FAST, ...over } }, silent)
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `probe` until it returns something truthy. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition'
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** Waits until the job reaches one of `states`; returns its status. */
export function waitForState(
  queue: PgBossQueue,
  id: string,
  states: JobStatus['state'][],
  timeoutMs = 10_000
): Promise<JobStatus> {
  return waitFor(
    async () => {
      const s = await queue.get(id)
      return s && states.includes(s.state) ? s : undefined
    },
    timeoutMs,
    `job ${id} to be ${states.join('/')}`
  )
}

/** A promise with its resolve function, to hold a handler until the test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void
  const opened = new Promise<T>((resolve) => (open = resolve))
  return { open, opened }
}
