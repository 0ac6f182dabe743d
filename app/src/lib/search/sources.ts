import { service } from '$lib/api/client'
import type { SearchEntry } from './search-index'
import type { NavEntry } from '$lib/state/manifest.svelte'

/** core's page maximum, and how many records of one kind the index takes in at most. */
const PAGE = 500
const CAP = 5000

/** Every record of a service, page by page, up to CAP. */
async function all<K extends 'dictionaries' | 'dictionary-items'>(path: K) {
  const first = await service(path).find({ query: { $limit: PAGE } })
  const data = [...first.data]
  while (data.length < Math.min(first.total, CAP)) {
    const next = await service(path).find({ query: { $limit: PAGE, $skip: data.length } })
    if (!next.data.length) break
    data.push(...next.data)
  }
  return data
}

/** Menu entries, as the navigation shows them. */
export function menuEntries(entries: NavEntry[]): SearchEntry[] {
  return entries.map((e) => ({ id: `menu:${e.path}`, kind: 'menu', href: e.path, label: e.label }))
}

/**
 * Dictionaries and their items. A failure here leaves the menu searchable, so it is
 * logged and not shown: the user did not ask for dictionaries yet.
 */
export async function dictionaryEntries(): Promise<SearchEntry[]> {
  try {
    const [dictionaries, items] = await Promise.all([all('dictionaries'), all('dictionary-items')])
    const names = new Map(dictionaries.map((d) => [d.code, d.name]))
    return [
      ...dictionaries.map((d): SearchEntry => ({
        id: `dictionary:${d.code}`,
        kind: 'dictionary',
        href: `/dictionaries/${encodeURIComponent(d.code)}`,
        label: d.name
      })),
      ...items
        .filter((i) => i.enabled !== false && names.has(i.dictionary))
        .map((i): SearchEntry => ({
          id: `item:${i.dictionary}:${i.code}`,
          kind: 'item',
          href: `/dictionaries/${encodeURIComponent(i.dictionary)}?item=${encodeURIComponent(i.code)}`,
          label: i.label,
          context: names.get(i.dictionary)
        }))
    ]
  } catch (error) {
    console.warn('search: dictionaries are not indexed', error)
    return []
  }
}
