import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { loadForm } from '$lib/services/forms.service'
import { findCollection } from '$lib/services/records.service'
import type { PageLoad } from './$types'

export const load = (async ({ params, parent }) => {
  await parent()
  const collection = await findCollection(params.collection)
  if (!collection || !collection.permissions.create)
    error(404, { message: t('records.not_found_collection', { name: params.collection }) })
  return { collection, ...(await loadForm(collection)) }
}) satisfies PageLoad
