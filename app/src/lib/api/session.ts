/**
 * The access token of the signed-in user, under the key @feathersjs/authentication-client
 * uses (`feathers-jwt`), so that client could take over without a migration. Some in-app
 * browsers (private mode, locked-down WebViews) refuse localStorage: the token then lives
 * in memory for this page only.
 */
export const TOKEN_KEY = 'feathers-jwt'

let memoryToken: string | null = null

export function accessToken(): string | null {
  try {
    if (typeof localStorage !== 'undefined') return localStorage.getItem(TOKEN_KEY) ?? memoryToken
  } catch {
    // storage refused: fall through to the in-memory copy
  }
  return memoryToken
}

export function setAccessToken(token: string | null): void {
  memoryToken = token
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token)
    else localStorage.removeItem(TOKEN_KEY)
  } catch {
    // storage refused: the in-memory copy serves this page
  }
}

/** Why the server refused a token-carrying call in a way that ends or limits the session. */
export type AuthFailure =
  { kind: 'session_ended' } | { kind: 'restricted'; restriction: 'password_change' | 'totp_enroll' }

type Listener = (failure: AuthFailure) => void
const listeners = new Set<Listener>()

/** Subscribes to auth failures seen by the API client; returns the unsubscribe function. */
export function onAuthFailure(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

interface ErrorShape {
  code?: number
  data?: { sessionEnded?: boolean; restriction?: string } | null
}

/**
 * Classifies an error of a call that carried `token`. Any 401 then means the token is no
 * good any more (session ended, revoked, expired or malformed); a 403 naming a restriction
 * means the session may only change its password or enrol a second factor.
 */
export function authFailureOf(error: unknown, sentToken: string | null): AuthFailure | null {
  const e = (error ?? {}) as ErrorShape
  if (e.code === 401 && (sentToken || e.data?.sessionEnded)) return { kind: 'session_ended' }
  const restriction = e.data?.restriction
  if (e.code === 403 && (restriction === 'password_change' || restriction === 'totp_enroll')) {
    return { kind: 'restricted', restriction }
  }
  return null
}

/** Tells the listeners (the session state) about a failure, if the error is one. */
export function reportAuthFailure(error: unknown, sentToken: string | null): void {
  const failure = authFailureOf(error, sentToken)
  if (failure) for (const listener of listeners) listener(failure)
}
