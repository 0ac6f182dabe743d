import { peopleNames } from '$lib/components/archives/people-names'
import { getExpiring } from '$lib/services/archives.service'
import { departmentOptions } from '$lib/services/forms.service'
import type { PageLoad } from './$types'
import { DAY_CHOICES } from './days'

/** Credentials expiring within N days (or overdue), optionally of one department and those below. */
export const load = (async ({ url, parent }) => {
  await parent()
  const wanted = Number(url.searchParams.get('days'))
  const days = DAY_CHOICES.includes(wanted) ? wanted : 90
  const dept = url.searchParams.get('dept') ?? ''
  const [list, departments] = await Promise.all([
    getExpiring({ days, deptId: dept || undefined }),
    departmentOptions()
  ])
  return {
    days,
    dept,
    items: list.data,
    departments,
    names: await peopleNames(list.data.map((i) => i.staffId)).catch(() => ({}) as Record<string, string>)
  }
}) satisfies PageLoad
