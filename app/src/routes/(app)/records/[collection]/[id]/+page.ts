import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { loadForm } from '$lib/services/forms.service'
import { findCollection, getRecord } from '$lib/services/records.service'
import type { PageLoad } from './$types'

export const load = (async ({ params, parent, depends }) => {
  depends('app:record')
  await parent()
  const collection = await findCollection(params.collection)
  if (!collection || !collection.permissions.read)
    error(404, { message: t('records.not_found_collection', { name: params.collection }) })
  const [loaded, record] = await Promise.all([
    loadForm(collection),
    getRecord(collection.path, params.id).catch((e: { code?: number; message?: string }) => {
      if (e?.code === 404 || e?.code === 403) error(404, { message: t('records.not_found_record') })
      throw e
    })
  ])
  return { collection, ...loaded, record }
}) satisfies PageLoad
