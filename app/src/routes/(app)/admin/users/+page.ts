import { filtersFromUrl, usersQuery } from '$lib/org/users-query'
import { permissionsOf } from '$lib/services/collections.service'
import { listAllDepartments } from '$lib/services/departments.service'
import { listRoles } from '$lib/services/roles.service'
import { findUsers } from '$lib/services/users.service'
import type { PageLoad } from './$types'

const PAGE_SIZE = 20

/** One page of users, filtered and paged on the server; filters live in the URL. */
export const load = (async ({ url, depends, parent }) => {
  depends('app:users')
  await parent()
  const filters = filtersFromUrl(url)
  const [departments, roles, permissions] = await Promise.all([
    listAllDepartments().catch(() => []),
    listRoles().catch(() => []),
    permissionsOf('users')
  ])
  const result = await findUsers(usersQuery(filters, departments, PAGE_SIZE))
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE))
  return { filters, result, pages, departments, roles, permissions }
}) satisfies PageLoad
