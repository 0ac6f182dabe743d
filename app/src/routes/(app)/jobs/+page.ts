import { listJobs } from '$lib/services/jobs.service'
import type { PageLoad } from './$types'

const PAGE_SIZE = 20

/** The caller's jobs, newest first, paged on the server (`?page=`). */
export const load = (async ({ url, parent, depends }) => {
  depends('app:jobs')
  await parent()
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  const result = await listJobs({ $limit: PAGE_SIZE, $skip: (page - 1) * PAGE_SIZE })
  return { result, page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }
}) satisfies PageLoad
