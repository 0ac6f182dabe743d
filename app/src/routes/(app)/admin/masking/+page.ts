import { listCollections } from '$lib/services/collections.service'
import { listMaskingRules } from '$lib/services/masking.service'
import type { PageLoad } from './$types'

export const load = (async ({ depends, parent }) => {
  depends('app:masking')
  await parent()
  const [rules, collections] = await Promise.all([listMaskingRules(), listCollections()])
  const permissions = collections.find((c) => c.name === 'masking_rules')?.permissions
  return {
    rules,
    collections,
    canEdit: !!permissions?.update,
    canCreate: !!permissions?.create,
    canDelete: !!permissions?.delete
  }
}) satisfies PageLoad
