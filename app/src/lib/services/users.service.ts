import { service } from '$lib/api/client'
import { fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import type { Paginated, User, UserStatus } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'

export function findUsers(query: Record<string, unknown>): Promise<Paginated<User>> {
  return service('users').find({ query })
}

export type UserSaveResult = { ok: true; user: User } | { ok: false; fields: FieldErrors }

/**
 * Creates a user (without a password the server generates an initial one, returned once as
 * `initialPassword`) or saves the changed fields of an existing one.
 */
export async function saveUser(
  existing: User | null,
  data: Partial<User> & { password?: string }
): Promise<UserSaveResult> {
  try {
    const users = service('users')
    const user = existing ? await users.patch(existing.id, data) : await users.create(data)
    toasts.success(t(existing ? 'users.saved' : 'users.created', { name: user.name }))
    return { ok: true, user }
  } catch (error) {
    const fields = fieldErrors(error)
    if (!Object.keys(fields).length) handleError(error, 'errors.unable_to_save_user')
    return { ok: false, fields }
  }
}

/** Disables, re-enables or marks a user as having left; the server ends their sessions. */
export async function setUserStatus(user: User, status: UserStatus): Promise<User | null> {
  try {
    const updated = await service('users').patch(user.id, { status })
    toasts.success(t(`users.now_${status}`, { name: user.name }))
    return updated
  } catch (error) {
    handleError(error, 'errors.unable_to_save_user')
    return null
  }
}

/**
 * Resets a password (`PATCH {password}`): the user must change it at the next login and
 * every session of theirs ends. Returns whether the server took it.
 */
export async function resetPassword(user: User, password: string): Promise<boolean> {
  try {
    await service('users').patch(user.id, { password } as Partial<User>)
    return true
  } catch (error) {
    handleError(error, 'errors.unable_to_reset_password', { name: user.name })
    return false
  }
}
