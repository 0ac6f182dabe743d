import type { JobStatus } from '@medaffairs/plugin-sdk'
import { service } from '$lib/api/client'
import type { ServiceTypes } from '$lib/api/types'
import { api } from './records.service'

/**
 * The caller's background jobs (`/api/jobs`): list, one, cancel, and their live events
 * (`jobs progress` and `jobs patched` reach only the sockets of the job's creator).
 */

export interface JobPage {
  total: number
  limit: number
  skip: number
  data: JobStatus[]
}

const jobs = () => api<JobStatus>('jobs')

export async function listJobs(query: { $limit: number; $skip: number; name?: string }): Promise<JobPage> {
  return (await jobs().find({ query })) as unknown as JobPage
}

export function getJob(id: string): Promise<JobStatus> {
  return jobs().get(id)
}

/** `DELETE /api/jobs/:id`: cancels a waiting or running job (its creator only). */
export function cancelJob(id: string): Promise<JobStatus> {
  return jobs().remove(id)
}

/** Calls `listener` with every status the server pushes for the caller's jobs; returns the unsubscribe. */
export function watchJobs(listener: (job: JobStatus) => void): () => void {
  const client = service('jobs' as keyof ServiceTypes) as unknown as {
    on(event: string, fn: (job: JobStatus) => void): () => void
  }
  const offs = ['progress', 'patched', 'removed'].map((event) => client.on(event, listener))
  return () => offs.forEach((off) => off())
}
