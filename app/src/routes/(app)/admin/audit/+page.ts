import type { PageLoad } from './$types'

export const load = (async ({ url, parent }) => {
  await parent()
  const q = url.searchParams
  const filters = {
    actorId: q.get('actorId') ?? '',
    collection: q.get('collection') ?? '',
    recordId: q.get('recordId') ?? '',
    action: q.get('action') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? ''
  }
  return { filters }
}) satisfies PageLoad
