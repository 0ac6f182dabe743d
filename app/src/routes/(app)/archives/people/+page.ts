import { departmentOptions } from '$lib/services/forms.service'
import { findPeople } from '$lib/services/archives.service'
import type { PageLoad } from './$types'

const PAGE_SIZE = 20

/** The staff directory: filters in the URL, one page from the server. */
export const load = (async ({ url, parent }) => {
  await parent()
  const p = url.searchParams
  const filters = {
    q: p.get('q') ?? '',
    dept: p.get('dept') ?? '',
    status: p.get('status') === 'former' ? 'former' : 'active',
    page: Math.max(1, Number(p.get('page')) || 1)
  }
  const [result, departments] = await Promise.all([
    findPeople({
      q: filters.q,
      deptId: filters.dept,
      status: filters.status,
      page: filters.page,
      pageSize: PAGE_SIZE
    }),
    departmentOptions()
  ])
  return { filters, result, departments, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }
}) satisfies PageLoad
