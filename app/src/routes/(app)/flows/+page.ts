import type { Box } from '$lib/flows/types'
import type { PageLoad } from './$types'

const BOXES: Box[] = ['todo', 'done', 'started', 'cc']

export const load = (async ({ url, parent }) => {
  await parent()
  const b = url.searchParams.get('box') as Box | null
  return { box: b && BOXES.includes(b) ? b : ('todo' as Box), boxes: BOXES }
}) satisfies PageLoad
