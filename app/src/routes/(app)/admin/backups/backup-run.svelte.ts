import type { JobStatus } from '@medaffairs/plugin-sdk'
import { handleError } from '$lib/api/handle-error'
import { JobWatch } from '$lib/components/transfer/job-watch.svelte'
import { startBackup } from '$lib/services/backups.service'
import { getJob } from '$lib/services/jobs.service'

/**
 * The backup this page follows: the one "立即备份" started, or the caller's backup still
 * running when the page opened. Progress comes from the jobs service (socket and poll).
 */
export class BackupRun {
  watch = $state<JobWatch | null>(null)
  starting = $state(false)

  constructor(running: JobStatus | null) {
    if (running) this.watch = new JobWatch(running.id, getJob, running)
  }

  /** A backup is being started or is running: a second one would only join it. */
  get busy(): boolean {
    const w = this.watch
    return this.starting || (!!w && !w.finished && !w.error)
  }

  /** The id of the backup the followed job wrote, once it has. */
  get written(): string | undefined {
    const job = this.watch?.job
    return job?.state === 'completed' ? (job.result as { id?: string } | undefined)?.id : undefined
  }

  async start(): Promise<void> {
    this.starting = true
    try {
      this.watch = new JobWatch(await startBackup(), getJob)
    } catch (error) {
      handleError(error, 'backups.errors.start')
    } finally {
      this.starting = false
    }
  }
}
