import { deleteAuthentication, postAuthentication } from '$lib/api/client'
import { accessToken } from '$lib/api/session'
import type { LoginResult } from '$lib/api/types'
import { explainLoginError, type LoginOutcome } from '$lib/auth/login-errors'
import { search } from '$lib/search/search.svelte'
import { manifest } from '$lib/state/manifest.svelte'
import { session } from '$lib/state/session.svelte'

export type { LoginOutcome }

export interface Credentials {
  username: string
  password: string
  /** The 6-digit one-time code, on the second step. */
  totp?: string
}

/**
 * Signs in with the employee number and password (and the one-time code when asked).
 * On success the token is stored, the socket re-authenticates, and the menus are reloaded
 * for the new user.
 */
export async function login(credentials: Credentials): Promise<LoginOutcome> {
  const body: Record<string, unknown> = {
    strategy: 'local',
    username: credentials.username.trim(),
    password: credentials.password
  }
  if (credentials.totp !== undefined) body.totp = credentials.totp.replace(/\s+/g, '')
  try {
    const result = await postAuthentication<LoginResult>(body)
    session.begin(result.accessToken)
    search.invalidate()
    await session.ensure()
    void manifest.load()
    return { kind: 'signed_in', restriction: result.authentication?.restriction ?? null }
  } catch (error) {
    return explainLoginError(error, credentials.totp !== undefined)
  }
}

/**
 * Signs out: the server revokes the session behind the token (so it is dead on every
 * device and socket), then the token and everything known about the user are dropped.
 */
export async function logout(): Promise<void> {
  const token = accessToken()
  try {
    if (token) await deleteAuthentication(token)
  } catch (error) {
    // An already ended session is signed out all the same.
    console.warn('logout', error)
  }
  session.clear()
  search.clear()
  search.invalidate()
  manifest.clear()
}
