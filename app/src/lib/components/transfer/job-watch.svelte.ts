import type { JobStatus } from '@medaffairs/plugin-sdk'
import { untrack } from 'svelte'
import { watchJobs } from '$lib/services/jobs.service'
import { isFinished } from './job-view'

const POLL_MS = 1500

/**
 * One job followed live: the socket's pushes as they come, and a poll while the job runs
 * (the socket may be down, falling back to REST). Stops polling once the job has finished.
 */
export class JobWatch {
  job = $state<JobStatus | null>(null)
  /** The last read failed (network, or the job is gone). */
  error = $state<unknown>(null)
  readonly #read: (id: string) => Promise<JobStatus>
  readonly id: string

  constructor(id: string, read: (id: string) => Promise<JobStatus>, initial: JobStatus | null = null) {
    this.id = id
    this.#read = read
    this.job = initial
  }

  get finished(): boolean {
    return isFinished(this.job)
  }

  /** Follows the job; returns the function that stops following. Reads nothing an effect would track. */
  start(): () => void {
    return untrack(() => this.#follow())
  }

  #follow(): () => void {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      clearTimeout(timer)
      try {
        const job = await this.#read(this.id)
        if (!stopped) this.job = job
        this.error = null
      } catch (error) {
        this.error = error
      }
      if (!stopped && !this.finished) timer = setTimeout(() => void poll(), POLL_MS)
    }
    const off = watchJobs((job) => {
      if (job.id !== this.id || stopped || this.finished) return
      // A pushed status carries no result: the final one is read from the service.
      if (isFinished(job)) void poll()
      else this.job = { ...this.job, ...job }
    })
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
      off()
    }
  }
}
