import { permissionsOf } from '$lib/services/collections.service'
import { listRoles } from '$lib/services/roles.service'
import type { PageLoad } from './$types'

export const load = (async ({ depends, parent }) => {
  depends('app:roles')
  await parent()
  const [roles, permissions] = await Promise.all([listRoles(), permissionsOf('roles')])
  return { roles, permissions }
}) satisfies PageLoad
