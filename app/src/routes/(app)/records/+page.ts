import { loadCollections } from '$lib/services/records.service'
import type { PageLoad } from './$types'

export const load = (async ({ parent }) => {
  await parent()
  const collections = (await loadCollections(true)).filter((c) => c.permissions.read)
  return { collections }
}) satisfies PageLoad
