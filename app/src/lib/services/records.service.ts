import { getJson, service, type ServiceClient } from '$lib/api/client'
import { fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import type { ServiceTypes } from '$lib/api/types'
import type { Collection, RecordDoc } from '$lib/components/records/fields'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'

/**
 * Actions on the records of any collection: list, read, save, remove, batch, history,
 * unmask, export and import. Each calls core, toasts what happened and routes failures
 * through handleError.
 */

/** A handle on a collection's service (or any service core registers) by its path. */
export function api<T = RecordDoc>(path: string): ServiceClient<T> {
  return service(path as keyof ServiceTypes) as unknown as ServiceClient<T>
}

/** A list answer: Feathers' page plus the cursor and how the total was counted. */
export interface RecordPage {
  total: number
  limit: number
  skip: number
  data: RecordDoc[]
  next?: string | null
  count?: 'exact' | 'capped' | 'estimated' | 'none'
  totalCapped?: boolean
}

let collectionsCache: Promise<Collection[]> | null = null

/** The enabled collections with the caller's rights (cached for the page's life; `fresh` reloads). */
export function loadCollections(fresh = false): Promise<Collection[]> {
  if (fresh || !collectionsCache) {
    collectionsCache = getJson<Collection[]>('/api/collections')
    collectionsCache.catch(() => (collectionsCache = null))
  }
  return collectionsCache
}

export async function findCollection(name: string): Promise<Collection | null> {
  return (await loadCollections()).find((c) => c.name === name || c.path === name) ?? null
}

export async function listRecords(path: string, query: Record<string, unknown>): Promise<RecordPage> {
  return (await api(path).find({ query })) as unknown as RecordPage
}

export function getRecord(path: string, id: string): Promise<RecordDoc> {
  return api(path).get(id)
}

export type SaveOutcome =
  { ok: true; record: RecordDoc } | { ok: false; fields: FieldErrors; conflict?: { rev: number | null } }

/**
 * Creates a record, or patches `changes` of an existing one with the revision it was read
 * at: when someone saved in between, core answers 409 and nothing is overwritten.
 */
export async function saveRecord(
  path: string,
  id: string | null,
  data: Record<string, unknown>,
  rev?: number
): Promise<SaveOutcome> {
  try {
    const records = api(path)
    const record = id
      ? await records.patch(id, rev === undefined ? data : { ...data, rev })
      : await records.create(data)
    toasts.success(t(id ? 'records.saved' : 'records.created'))
    return { ok: true, record }
  } catch (error) {
    const e = error as { code?: number; data?: { rev?: number } | null }
    if (e.code === 409 && e.data && 'rev' in e.data)
      return { ok: false, fields: {}, conflict: { rev: e.data.rev ?? null } }
    const fields = fieldErrors(error)
    handleError(error, 'records.errors.save')
    return { ok: false, fields }
  }
}

/** Moves a record to the recycle bin. */
export async function removeRecord(path: string, id: string): Promise<boolean> {
  try {
    await api(path).remove(id)
    toasts.success(t('records.removed'))
    return true
  } catch (error) {
    handleError(error, 'records.errors.remove')
    return false
  }
}

export interface BatchRequest {
  collection: string
  action: 'patch' | 'remove' | 'restore'
  ids?: string[]
  filter?: Record<string, unknown>
  data?: Record<string, unknown>
}

/** `POST /api/batch`: small batches answer with the count, large ones run as a job. */
export async function runBatch(req: BatchRequest): Promise<{ count: number; jobId?: string } | null> {
  try {
    const result = (await api<unknown>('batch').create(req as never)) as unknown as {
      count: number
      jobId?: string
    }
    if (result.jobId) toasts.info(t('records.batch.queued', { count: result.count }))
    else toasts.success(t(`records.batch.done_${req.action}`, { count: result.count }))
    return result
  } catch (error) {
    handleError(error, 'records.errors.batch')
    return null
  }
}

export interface HistoryEntry {
  seq: number
  at: string
  actorName: string | null
  actorId?: string | null
  action: string
  diff: Record<string, unknown>
}

/** `GET /api/history`: who changed what and when, newest first, `beforeSeq` for older. */
export async function loadHistory(
  collection: string,
  id: string,
  beforeSeq?: number
): Promise<{ data: HistoryEntry[]; next: number | null }> {
  const query: Record<string, unknown> = { collection, recordId: id, $limit: 20 }
  if (beforeSeq !== undefined) query.beforeSeq = beforeSeq
  const page = (await api<unknown>('history').find({ query })) as unknown as {
    data: HistoryEntry[]
    next: number | null
  }
  // core sends a cursor even after the last page: a short page is the last one.
  return { data: page.data, next: page.data.length < 20 ? null : page.next }
}

/** `POST /api/unmask`: the clear values of the masked fields of one record (audited). */
export async function unmask(
  collection: string,
  id: string,
  fields?: string[]
): Promise<Record<string, unknown> | null> {
  try {
    const result = (await api<unknown>('unmask').create({
      collection,
      id,
      ...(fields ? { fields } : {})
    } as never)) as unknown as { values: Record<string, unknown> }
    return result.values
  } catch (error) {
    handleError(error, 'records.errors.unmask')
    return null
  }
}

/** Calls `onEvent` for every real-time event of a collection; returns the unsubscribe. */
export function watchRecords(
  path: string,
  onEvent: (event: 'created' | 'patched' | 'removed', record: RecordDoc) => void
): () => void {
  const records = api(path)
  const offs = [
    records.on('created', (r) => onEvent('created', r)),
    records.on('patched', (r) => onEvent('patched', r)),
    records.on('updated', (r) => onEvent('patched', r)),
    records.on('removed', (r) => onEvent('removed', r))
  ]
  return () => offs.forEach((off) => off())
}
