import type { PageLoad } from './$types'

export const load = (async ({ url, parent }) => {
  await parent()
  return {
    all: url.searchParams.get('all') === 'true',
    page: Math.max(1, Number(url.searchParams.get('page')) || 1)
  }
}) satisfies PageLoad
