import { getBackup } from '$lib/services/backups.service'
import type { PageLoad } from './$types'

/** One backup with its tables (404 for an unknown id, 403 for anyone but a system administrator). */
export const load = (async ({ params, parent }) => {
  await parent()
  return { backup: await getBackup(params.id) }
}) satisfies PageLoad
