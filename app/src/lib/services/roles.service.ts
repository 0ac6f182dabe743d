import { service } from '$lib/api/client'
import { fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import type { Role } from '$lib/api/types'
import { t, tx } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'

/** Every role (a hospital has tens, not thousands). */
export async function listRoles(): Promise<Role[]> {
  const page = await service('roles').find({ query: { $limit: 500, $sort: { code: 1 } } })
  return page.data
}

export function getRole(id: string): Promise<Role> {
  return service('roles').get(id)
}

export type RoleData = Pick<Role, 'code' | 'name' | 'description' | 'grants'>
export type RoleSaveResult = { ok: true; role: Role } | { ok: false; fields: FieldErrors }

/** Creates a role or saves name, description and grants of an existing one. */
export async function saveRole(existing: Role | null, data: RoleData): Promise<RoleSaveResult> {
  try {
    const roles = service('roles')
    const { code, ...rest } = data
    const role = existing ? await roles.patch(existing.id, rest) : await roles.create({ code, ...rest })
    toasts.success(t(existing ? 'roles.saved' : 'roles.created', { name: tx(role.name, role.code) }))
    return { ok: true, role }
  } catch (error) {
    const fields = fieldErrors(error)
    if (!Object.keys(fields).length) handleError(error, 'errors.unable_to_save_role')
    return { ok: false, fields }
  }
}

/** Removes a custom role; built-in roles are never offered for removal. */
export async function removeRole(role: Role): Promise<boolean> {
  try {
    await service('roles').remove(role.id)
    toasts.success(t('roles.removed', { name: tx(role.name, role.code) }))
    return true
  } catch (error) {
    handleError(error, 'errors.unable_to_remove_role', { name: tx(role.name, role.code) })
    return false
  }
}
