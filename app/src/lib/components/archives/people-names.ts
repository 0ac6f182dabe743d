import { api } from '$lib/services/records.service'

/** Names of the people a report lists, by id (as the caller may see them; one request per page). */
export async function peopleNames(ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)].slice(0, 500)
  if (!unique.length) return {}
  const page = await api<{ id: string; name: string }>('users').find({
    query: { id: { $in: unique }, $select: ['id', 'name'], $limit: unique.length }
  })
  return Object.fromEntries(page.data.map((u) => [u.id, u.name]))
}
