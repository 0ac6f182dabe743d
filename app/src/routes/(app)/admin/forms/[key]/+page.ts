import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { deriveForm } from '$lib/components/records/fields'
import { getVersion, indexStatus } from '$lib/services/definitions.service'
import { listDictionaries } from '$lib/services/dictionaries.service'
import { findCollection } from '$lib/services/records.service'
import type { PageLoad } from './$types'

/** The form of one collection as the designer starts from it: its draft, else the published version. */
export const load = (async ({ params, parent, url }) => {
  await parent()
  // Only administrators of definitions may read the index builds: a 403 here means "not yours".
  const indexes = await indexStatus(params.key).catch((e: { code?: number }) => {
    if (e.code === 403 || e.code === 401) error(403, { message: t('fd.forbidden') })
    throw e
  })
  const [collection, published, draft, dictionaries] = await Promise.all([
    findCollection(params.key),
    getVersion(params.key, 'published'),
    getVersion(params.key, 'draft'),
    listDictionaries(500, 0)
      .then((p) => p.data)
      .catch(() => [])
  ])
  if (!collection) error(404, { message: t('fd.not_found', { key: params.key }) })
  const tab = url.searchParams.get('tab')
  return {
    key: params.key,
    collection,
    published,
    draft,
    fallback: deriveForm(collection),
    dictionaries,
    indexes,
    tab: tab === 'list' || tab === 'versions' ? tab : 'design'
  }
}) satisfies PageLoad
