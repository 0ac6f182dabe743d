import { loadCollections } from '$lib/services/records.service'
import { listBin } from '$lib/services/recycle-bin.service'
import { peopleByIds } from '$lib/services/people.service'
import type { PageLoad } from './$types'

const PAGE_SIZE = 20

export const load = (async ({ url, parent, depends }) => {
  depends('app:recycle-bin')
  await parent()
  const q = url.searchParams
  const filters = {
    collection: q.get('collection') ?? '',
    deletedBy: q.get('deletedBy') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? ''
  }
  const page = Math.max(1, Number(q.get('page')) || 1)
  // `to` is a day: everything removed before the end of that day.
  const to = filters.to
    ? new Date(new Date(`${filters.to}T00:00:00`).getTime() + 86_400_000).toISOString()
    : ''
  const from = filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : ''
  const [collections, result] = await Promise.all([
    loadCollections(),
    listBin({ ...filters, from, to, $limit: PAGE_SIZE, $skip: (page - 1) * PAGE_SIZE })
  ])
  const ids = [
    ...new Set([...result.data.map((e) => e.deletedBy), filters.deletedBy].filter((x): x is string => !!x))
  ]
  const users = await peopleByIds(ids).catch(() => [])
  return {
    filters,
    page,
    pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    total: result.total,
    entries: result.data,
    names: Object.fromEntries(users.map((u) => [u.id, u.name])) as Record<string, string>,
    collections: collections.filter((c) => c.permissions.restore)
  }
}) satisfies PageLoad
