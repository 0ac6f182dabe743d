import { service } from '$lib/api/client'
import type { Person } from '$lib/api/types'
import { PEOPLE_MAX_IDS, RECORD_ID_PATTERN } from '$lib/sdk'

/**
 * Colleagues for pickers and names (`GET /api/people`): every signed-in user may look them
 * up, with the essentials only. Administration pages that need whole records use `users`.
 */

/** Active colleagues whose name, employee number or pinyin (`wxd`, `wangxiao`) matches `text`. */
export async function searchPeople(text: string, limit = 10): Promise<Person[]> {
  const page = await service('people').find({ query: { q: text.trim(), $limit: limit } })
  return page.data
}

/**
 * Users by id, whatever their status (to show stored ids by name), in as few requests as may
 * be. Values that are no id (an imported name) are left out rather than failing the rest.
 */
export async function peopleByIds(ids: string[]): Promise<Person[]> {
  const unique = [...new Set(ids.filter((id) => RECORD_ID_PATTERN.test(id)))]
  const chunks = Array.from({ length: Math.ceil(unique.length / PEOPLE_MAX_IDS) }, (_, i) =>
    unique.slice(i * PEOPLE_MAX_IDS, (i + 1) * PEOPLE_MAX_IDS)
  )
  const pages = await Promise.all(
    chunks.map((chunk) => service('people').find({ query: { ids: chunk.join(',') } }))
  )
  return pages.flatMap((p) => p.data)
}
