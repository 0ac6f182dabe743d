import { permissionsOf } from '$lib/services/collections.service'
import { listAllDepartments } from '$lib/services/departments.service'
import { usersByIds } from '$lib/services/users.service'
import type { PageLoad } from './$types'

export const load = (async ({ depends, parent }) => {
  depends('app:departments')
  await parent()
  const [departments, permissions] = await Promise.all([listAllDepartments(), permissionsOf('departments')])
  const leaders = await usersByIds(departments.flatMap((d) => d.leaderIds ?? [])).catch(() => [])
  return { departments, permissions, leaders: Object.fromEntries(leaders.map((u) => [u.id, u])) }
}) satisfies PageLoad
