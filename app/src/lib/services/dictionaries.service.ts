import { service } from '$lib/api/client'
import { handleError, type FieldErrors } from '$lib/api/handle-error'
import type { Dictionary, DictionaryItem, DictionaryItemData, Paginated } from '$lib/api/types'
import { t, tx } from '$lib/i18n/i18n.svelte'
import { search } from '$lib/search/search.svelte'
import { toasts } from '$lib/state/toasts.svelte'

/** core's page maximum; a dictionary's items come in one page. */
export const MAX_ITEMS = 500

export function listDictionaries(limit: number, skip: number): Promise<Paginated<Dictionary>> {
  return service('dictionaries').find({ query: { $limit: limit, $skip: skip } })
}

export async function findDictionary(code: string): Promise<Dictionary | null> {
  const page = await service('dictionaries').find({ query: { code, $limit: 1 } })
  return page.data[0] ?? null
}

export async function listItems(dictionary: string): Promise<DictionaryItem[]> {
  const page = await service('dictionary-items').find({
    query: { dictionary, $sort: { order: 1 }, $limit: MAX_ITEMS }
  })
  return page.data
}

export type SaveResult = { ok: true; item: DictionaryItem } | { ok: false; fields: FieldErrors }

/** Only the fields that differ, so a patch never rewrites what the user did not touch. */
function changes(before: DictionaryItem, after: DictionaryItemData): Partial<DictionaryItem> {
  const out: Partial<DictionaryItem> = {}
  for (const key of Object.keys(after) as Array<keyof DictionaryItemData>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) Object.assign(out, { [key]: after[key] })
  }
  return out
}

/** Creates an item (`POST`) or saves an edit (`PATCH`); per-field server errors come back. */
export async function saveItem(
  existing: DictionaryItem | null,
  data: DictionaryItemData
): Promise<SaveResult> {
  try {
    const items = service('dictionary-items')
    const item = existing ? await items.patch(existing.id, changes(existing, data)) : await items.create(data)
    toasts.success(t(existing ? 'items.saved' : 'items.created', { name: tx(item.label, item.code) }))
    search.invalidate()
    return { ok: true, item }
  } catch (error) {
    return { ok: false, fields: handleError(error, 'errors.unable_to_save') }
  }
}

/** Disables or re-enables an item; disabled items stay for old records but are not offered. */
export async function setItemEnabled(item: DictionaryItem, enabled: boolean): Promise<DictionaryItem | null> {
  try {
    const updated = await service('dictionary-items').patch(item.id, { enabled })
    toasts.success(
      t(enabled ? 'items.now_enabled' : 'items.now_disabled', { name: tx(item.label, item.code) })
    )
    search.invalidate()
    return updated
  } catch (error) {
    handleError(error, 'errors.unable_to_save')
    return null
  }
}

/** Calls `onChange` when an item of `dictionary` changes elsewhere (real-time events). */
export function watchItems(dictionary: string, onChange: () => void): () => void {
  const items = service('dictionary-items')
  const listener = (item: DictionaryItem) => {
    if (item.dictionary === dictionary) onChange()
  }
  const offs = (['created', 'patched', 'updated', 'removed'] as const).map((e) => items.on(e, listener))
  return () => offs.forEach((off) => off())
}
