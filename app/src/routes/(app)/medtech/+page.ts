import type { Box } from '$lib/services/medtech.service'
import type { PageLoad } from './$types'

export const load = (async ({ url, parent }) => {
  await parent()
  const b = url.searchParams.get('box')
  const box: Box = b === 'due' || b === 'overdue' ? b : 'all'
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  return { box, page }
}) satisfies PageLoad
