import { errorMessage } from '$lib/api/handle-error'
import type { SessionRestriction } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'

/** How a login attempt ended, in words the login page shows as they are. */
export type LoginOutcome =
  | { kind: 'signed_in'; restriction: SessionRestriction }
  | { kind: 'totp_required' }
  | { kind: 'refused'; message: string; field: 'password' | 'totp' | null; retryAfter?: number }

interface LoginErrorData {
  remaining?: number
  locked?: boolean
  minutes?: number
  totpRequired?: boolean
  status?: string
  retryAfter?: number
}

/** Turns the server's refusal into a message: attempts left, lockout, rate limit, disabled. */
export function explainLoginError(error: unknown, withTotp: boolean): LoginOutcome {
  const e = (error ?? {}) as { code?: number; data?: LoginErrorData | null }
  const data = e.data ?? {}
  const field = withTotp ? 'totp' : 'password'
  if (e.code === 429) {
    const seconds = Math.max(1, Number(data.retryAfter) || 60)
    return {
      kind: 'refused',
      message: t('login.rate_limited', { seconds }),
      field: null,
      retryAfter: seconds
    }
  }
  if (e.code !== 401) return { kind: 'refused', message: errorMessage(error), field: null }
  if (data.totpRequired) return { kind: 'totp_required' }
  if (data.locked) {
    const message = data.minutes ? t('login.locked_minutes', { minutes: data.minutes }) : t('login.locked')
    return { kind: 'refused', message, field: null }
  }
  if (data.status) {
    return {
      kind: 'refused',
      message: t(data.status === 'left' ? 'login.account_left' : 'login.account_disabled'),
      field: null
    }
  }
  if (typeof data.remaining === 'number') {
    const key = withTotp ? 'login.wrong_code_remaining' : 'login.wrong_password_remaining'
    return { kind: 'refused', message: t(key, { remaining: data.remaining }), field }
  }
  return { kind: 'refused', message: t(withTotp ? 'login.wrong_code' : 'login.wrong_credentials'), field }
}
