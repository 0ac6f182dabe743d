import { isFinished } from '$lib/components/transfer/job-view'
import { BACKUP_JOB, backupSettings, listBackups } from '$lib/services/backups.service'
import { listJobs } from '$lib/services/jobs.service'
import type { PageLoad } from './$types'

const PAGE_SIZE = 20

/**
 * Backups, newest first, paged on the server (`?page=`); the settings in effect; and the
 * caller's backup job still running, if any, so its progress survives leaving the page.
 * Anyone but a system administrator is refused by the service: the error page shows.
 */
export const load = (async ({ url, parent, depends }) => {
  depends('app:backups')
  await parent()
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  const [result, settings, jobs] = await Promise.all([
    listBackups({ $limit: PAGE_SIZE, $skip: (page - 1) * PAGE_SIZE }),
    backupSettings(),
    listJobs({ $limit: 1, $skip: 0, name: BACKUP_JOB })
  ])
  const running = jobs.data.find((job) => !isFinished(job)) ?? null
  return { result, settings, running, page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }
}) satisfies PageLoad
