import { fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'
import { api } from './records.service'

/** A saved list view: a compound filter, a sort and columns; private or shared. */
export interface SavedView {
  id: string
  collection: string
  name: string
  filter?: Record<string, unknown>
  sort?: Record<string, 1 | -1>
  columns?: string[]
  shared: boolean
  ownerId?: string | null
}

export type ViewData = Omit<SavedView, 'id' | 'ownerId'>

/** My views and the shared ones of a collection, by name. */
export async function listViews(collection: string): Promise<SavedView[]> {
  try {
    const page = await api<SavedView>('saved-views').find({
      query: { collection, $sort: { name: 1 }, $limit: 200 }
    })
    return page.data
  } catch (error) {
    handleError(error, 'records.errors.views')
    return []
  }
}

export async function saveView(
  existing: SavedView | null,
  data: ViewData
): Promise<{ ok: true; view: SavedView } | { ok: false; fields: FieldErrors }> {
  try {
    const views = api<SavedView>('saved-views')
    const view = existing ? await views.patch(existing.id, data) : await views.create(data)
    toasts.success(t('records.views.saved', { name: view.name }))
    return { ok: true, view }
  } catch (error) {
    const fields = fieldErrors(error)
    handleError(error, 'records.errors.save_view')
    return { ok: false, fields }
  }
}

export async function removeView(view: SavedView): Promise<boolean> {
  try {
    await api<SavedView>('saved-views').remove(view.id)
    toasts.success(t('records.views.removed', { name: view.name }))
    return true
  } catch (error) {
    handleError(error, 'records.errors.remove_view')
    return false
  }
}
