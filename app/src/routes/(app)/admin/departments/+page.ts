import { permissionsOf } from '$lib/services/collections.service'
import { listAllDepartments } from '$lib/services/departments.service'
import { peopleByIds } from '$lib/services/people.service'
import type { PageLoad } from './$types'

export const load = (async ({ depends, parent }) => {
  depends('app:departments')
  await parent()
  const [departments, permissions] = await Promise.all([listAllDepartments(), permissionsOf('departments')])
  const leaders = await peopleByIds(departments.flatMap((d) => d.leaderIds ?? [])).catch(() => [])
  return { departments, permissions, leaders: Object.fromEntries(leaders.map((u) => [u.id, u])) }
}) satisfies PageLoad
