import { error } from '@sveltejs/kit'
import { t } from '$lib/i18n/i18n.svelte'
import { listCollections } from '$lib/services/collections.service'
import { getRole } from '$lib/services/roles.service'
import type { PageLoad } from './$types'

/** The role (or none, for /admin/roles/new) and the collections its matrix is made of. */
export const load = (async ({ params, depends, parent }) => {
  depends('app:role')
  await parent()
  const creating = params.id === 'new'
  const [role, collections] = await Promise.all([
    creating ? Promise.resolve(null) : getRole(params.id).catch(() => null),
    listCollections()
  ])
  if (!creating && !role) error(404, { message: t('roles.not_found') })
  const permissions = collections.find((c) => c.name === 'roles')?.permissions
  return {
    role,
    collections,
    canEdit: creating ? !!permissions?.create : !!permissions?.update,
    canDelete: !!permissions?.delete
  }
}) satisfies PageLoad
