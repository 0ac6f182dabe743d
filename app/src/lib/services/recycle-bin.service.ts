import { errorMessage, handleError, localizeMessage } from '$lib/api/handle-error'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'
import { api } from './records.service'

type I18n = Partial<Record<'zh-CN' | 'en-US', string>>

export interface BinEntry {
  collection: string
  label?: I18n
  id: string
  title: string
  deletedAt: string
  deletedBy: string | null
  record: Record<string, unknown>
}

export interface BinQuery {
  collection?: string
  deletedBy?: string
  from?: string
  to?: string
  $limit: number
  $skip: number
}

export function listBin(query: BinQuery): Promise<{ total: number; data: BinEntry[] }> {
  const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''))
  return api<unknown>('recycle-bin').find({ query: clean }) as unknown as Promise<{
    total: number
    data: BinEntry[]
  }>
}

export type BinOutcome = { ok: true; count: number } | { ok: false; conflict?: string }

/**
 * Restores or purges entries in one transaction. A restore that would duplicate a unique
 * value (someone re-created the record meanwhile) is refused as a whole with 409.
 */
export async function applyBin(
  action: 'restore' | 'purge',
  items: Array<Pick<BinEntry, 'collection' | 'id'>>
): Promise<BinOutcome> {
  try {
    const result = (await api<unknown>('recycle-bin').create({
      action,
      items: items.map(({ collection, id }) => ({ collection, id }))
    } as never)) as unknown as { items: unknown[] }
    toasts.success(
      t(action === 'restore' ? 'recycle.restored' : 'recycle.purged', { count: result.items.length })
    )
    return { ok: true, count: result.items.length }
  } catch (error) {
    const e = error as { code?: number; message?: string; data?: { fields?: string[] } | null }
    if (e.code === 409) {
      const fields = e.data?.fields?.join(t('common.list_separator'))
      const conflict = fields
        ? t('recycle.conflict_fields', { fields })
        : localizeMessage(e.message ?? '') || errorMessage(error)
      toasts.error(t('recycle.conflict_title'), conflict)
      return { ok: false, conflict }
    }
    handleError(error, action === 'restore' ? 'recycle.errors.restore' : 'recycle.errors.purge')
    return { ok: false }
  }
}
