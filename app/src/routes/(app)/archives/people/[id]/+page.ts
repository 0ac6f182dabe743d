import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { loadProfileData } from '$lib/components/archives/profile-load'
import type { PageLoad } from './$types'

export const load = (async ({ params, parent, depends }) => {
  depends('app:archive-profile')
  await parent()
  try {
    return await loadProfileData(params.id)
  } catch (e) {
    const code = (e as { code?: number }).code
    if (code === 404 || code === 403 || code === 400) error(404, { message: t('archives.not_found') })
    throw e
  }
}) satisfies PageLoad
