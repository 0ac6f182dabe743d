import type { FormDefinition } from '@medaffairs/plugin-sdk'
import type { SavedView } from '$lib/services/views.service'

/**
 * Where a list opens when the administrator set a default view (the form's `list.view`) and
 * the address names no view, filter, sort or page: the same list with that view's filter and
 * sort in the address, so it stays shareable and the back button works. Null otherwise.
 */
export function defaultViewUrl(url: URL, form: FormDefinition, views: SavedView[]): string | null {
  const id = form.list?.view
  if (!id || ['view', 'q', 'sort', 'page'].some((k) => url.searchParams.has(k))) return null
  const view = views.find((v) => v.id === id)
  if (!view) return null
  const out = new URL(url)
  if (view.filter && Object.keys(view.filter).length) out.searchParams.set('q', JSON.stringify(view.filter))
  const [field, dir] = Object.entries(view.sort ?? {})[0] ?? []
  if (field) out.searchParams.set('sort', `${field}:${dir}`)
  out.searchParams.set('view', view.id)
  return `${out.pathname}${out.search}`
}
