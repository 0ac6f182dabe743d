import { peopleNames } from '$lib/components/archives/people-names'
import { getCredits } from '$lib/services/archives.service'
import { departmentOptions } from '$lib/services/forms.service'
import type { PageLoad } from './$types'

/** CME credits of one year: the people in view against the requirement, optionally one department's. */
export const load = (async ({ url, parent }) => {
  await parent()
  const year = Number(url.searchParams.get('year')) || new Date().getFullYear()
  const dept = url.searchParams.get('dept') ?? ''
  const [report, departments] = await Promise.all([
    getCredits({ year, deptId: dept || undefined }),
    departmentOptions()
  ])
  return {
    year,
    dept,
    report,
    departments,
    names: await peopleNames(report.people.map((p) => p.staffId)).catch(() => ({}) as Record<string, string>)
  }
}) satisfies PageLoad
