import type { PageLoad } from './$types'

/** Filters live in the URL (`?year=2026&dept=…`), so a view can be bookmarked and shared. */
export const load = (async ({ url, parent }) => {
  await parent()
  const thisYear = new Date().getFullYear()
  const year = Number.parseInt(url.searchParams.get('year') ?? '', 10)
  return {
    filters: {
      year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : thisYear,
      deptId: url.searchParams.get('dept') ?? ''
    },
    thisYear
  }
}) satisfies PageLoad
