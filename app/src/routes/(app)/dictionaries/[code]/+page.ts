import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { findDictionary, listItems } from '$lib/services/dictionaries.service'
import type { PageLoad } from './$types'

export const load = (async ({ params, depends, parent }) => {
  depends('app:dictionary-items')
  await parent()
  const [dictionary, items] = await Promise.all([findDictionary(params.code), listItems(params.code)])
  if (!dictionary) error(404, { message: t('dictionaries.not_found', { code: params.code }) })
  return { dictionary, items }
}) satisfies PageLoad
