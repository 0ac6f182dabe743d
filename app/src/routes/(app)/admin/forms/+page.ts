import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { listCollections } from '$lib/services/collections.service'
import { listForms } from '$lib/services/definitions.service'
import type { PageLoad } from './$types'

/** Every form (plugins' and the hospital's), and the business collections that have none yet. */
export const load = (async ({ depends, parent }) => {
  depends('app:forms')
  await parent()
  try {
    const [forms, collections] = await Promise.all([listForms(), listCollections()])
    return { forms, collections }
  } catch (e) {
    const code = (e as { code?: number }).code
    if (code === 403 || code === 401) error(403, { message: t('fd.forbidden') })
    throw e
  }
}) satisfies PageLoad
