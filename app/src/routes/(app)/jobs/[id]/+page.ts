import { getJob } from '$lib/services/jobs.service'
import type { PageLoad } from './$types'

/** One job of the caller's (another user's job answers 404). */
export const load = (async ({ params, parent }) => {
  await parent()
  return { job: await getJob(params.id) }
}) satisfies PageLoad
