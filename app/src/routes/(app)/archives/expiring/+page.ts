import { peopleNames } from '$lib/components/archives/people-names'
import { getExpiring } from '$lib/services/archives.service'
import { departmentOptions } from '$lib/services/forms.service'
import type { PageLoad } from './$types'
import { DAY_CHOICES } from './days'

const PAGE_SIZE = 50

/** Credentials expiring within N days (or overdue), optionally of one department and those below, paged on the server (`?page=`). */
export const load = (async ({ url, parent }) => {
  await parent()
  const wanted = Number(url.searchParams.get('days'))
  const days = DAY_CHOICES.includes(wanted) ? wanted : 90
  const dept = url.searchParams.get('dept') ?? ''
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  const [list, departments] = await Promise.all([
    getExpiring({ days, deptId: dept || undefined, $limit: PAGE_SIZE, $skip: (page - 1) * PAGE_SIZE }),
    departmentOptions()
  ])
  return {
    days,
    dept,
    page,
    pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
    total: list.total,
    items: list.data,
    departments,
    names: await peopleNames(list.data.map((i) => i.staffId)).catch(() => ({}) as Record<string, string>)
  }
}) satisfies PageLoad
