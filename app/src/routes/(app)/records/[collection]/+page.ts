import { error, redirect } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { loadForm } from '$lib/services/forms.service'
import { findCollection } from '$lib/services/records.service'
import { listViews } from '$lib/services/views.service'
import { defaultViewUrl } from '$lib/state/default-view'
import type { PageLoad } from './$types'

export const load = (async ({ params, parent, depends, url }) => {
  depends('app:record-views')
  await parent()
  const collection = await findCollection(params.collection)
  if (!collection || !collection.permissions.read)
    error(404, { message: t('records.not_found_collection', { name: params.collection }) })
  const [loaded, views] = await Promise.all([loadForm(collection), listViews(collection.name)])
  // The administrator's default view (list designer) when the address names no view, filter or sort.
  const opening = defaultViewUrl(url, loaded.form, views)
  if (opening) redirect(307, opening)
  return { collection, ...loaded, views }
}) satisfies PageLoad
