import { service } from '$lib/api/client'
import { fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import { t } from '$lib/i18n/i18n.svelte'
import { session } from '$lib/state/session.svelte'
import { toasts } from '$lib/state/toasts.svelte'

export type FormResult = { ok: true } | { ok: false; fields: FieldErrors }

/** Runs a form action: success toast, or the server's per-field errors (and a toast for the rest). */
async function submit(action: () => Promise<unknown>, success: string, failure: string): Promise<FormResult> {
  try {
    await action()
    toasts.success(t(success))
    await session.refresh()
    return { ok: true }
  } catch (error) {
    const fields = fieldErrors(error)
    if (!Object.keys(fields).length) handleError(error, failure)
    return { ok: false, fields }
  }
}

/**
 * `POST /api/account/password`. The server ends every other session of the user and lifts
 * a password-change restriction from this one.
 */
export function changePassword(currentPassword: string, newPassword: string): Promise<FormResult> {
  return submit(
    () => service('account/password').create({ currentPassword, newPassword }),
    'account.password_changed',
    'errors.unable_to_change_password'
  )
}

/** A new authenticator secret and its otpauth:// URI (`{action: 'setup'}`); not active yet. */
export async function setupTotp(): Promise<{ secret: string; uri: string } | null> {
  try {
    const result = await service('account/totp').create({ action: 'setup' })
    return { secret: result.secret ?? '', uri: result.uri ?? '' }
  } catch (error) {
    handleError(error, 'errors.unable_to_setup_totp')
    return null
  }
}

/** Proves the app works with one code and switches the second factor on. */
export function enableTotp(code: string): Promise<FormResult> {
  return submit(
    () => service('account/totp').create({ action: 'enable', code }),
    'security.enabled_toast',
    'errors.unable_to_setup_totp'
  )
}

/** Switches the second factor off; needs a current code and the password. */
export function disableTotp(code: string, password: string): Promise<FormResult> {
  return submit(
    () => service('account/totp').create({ action: 'disable', code, password }),
    'security.disabled_toast',
    'errors.unable_to_disable_totp'
  )
}
