import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { loadForm } from '$lib/services/forms.service'
import { getInstance } from '$lib/services/flows.service'
import { findCollection } from '$lib/services/records.service'
import type { PageLoad } from './$types'

/** A flow instance in one call, plus the form its record is shown with (when the collection is known to the viewer). */
export const load = (async ({ params, parent, depends }) => {
  depends('app:flow')
  await parent()
  const view = await getInstance(params.id).catch((e: { code?: number }) => {
    if (e?.code === 404 || e?.code === 403) error(404, { message: t('flows.page.not_found') })
    throw e
  })
  const collection = await findCollection(view.collection).catch(() => null)
  const form = collection ? (await loadForm(collection).catch(() => null))?.form ?? null : null
  return { view, collection, form }
}) satisfies PageLoad
