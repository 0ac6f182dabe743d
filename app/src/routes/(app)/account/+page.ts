import { listRoles } from '$lib/services/roles.service'
import type { PageLoad } from './$types'

/** Role names when the user may read roles (administrators); everyone else sees the codes. */
export const load = (async ({ parent }) => {
  await parent()
  const roles = await listRoles().catch(() => [])
  return { roleNames: Object.fromEntries(roles.map((r) => [r.code, r.name])) }
}) satisfies PageLoad
