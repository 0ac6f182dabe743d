import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { loadForm } from '$lib/services/forms.service'
import { findCollection } from '$lib/services/records.service'
import { listViews } from '$lib/services/views.service'
import type { PageLoad } from './$types'

export const load = (async ({ params, parent, depends }) => {
  depends('app:record-views')
  await parent()
  const collection = await findCollection(params.collection)
  if (!collection || !collection.permissions.read) error(404, { message: t('records.not_found_collection', { name: params.collection }) })
  const [loaded, views] = await Promise.all([loadForm(collection), listViews(collection.name)])
  return { collection, ...loaded, views }
}) satisfies PageLoad
