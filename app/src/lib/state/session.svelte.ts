import { goto } from '$app/navigation'
import { navigating } from '$app/state'
import { getJson, reconnectRealtime, service } from '$lib/api/client'
import { accessToken, onAuthFailure, setAccessToken } from '$lib/api/session'
import type { Account, Department, SessionRestriction } from '$lib/api/types'
import { FORCED_PAGE, loginUrl } from '$lib/auth/guard'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from './toasts.svelte'

/**
 * Who is signed in: the account as `GET /api/account` describes it (user, restriction,
 * second factor, password policy) and the user's department for the user menu. The token
 * itself stays in session.ts (localStorage `feathers-jwt`).
 */
class SessionState {
  #account = $state<Account | null>(null)
  #department = $state<Department | null>(null)
  /** The token the account was loaded for. */
  #token: string | null = null
  #loading: Promise<Account | null> | null = null

  get account(): Account | null {
    return this.#account
  }

  get user() {
    return this.#account?.user ?? null
  }

  get restriction(): SessionRestriction {
    return this.#account?.restriction ?? null
  }

  get department(): Department | null {
    return this.#department
  }

  /** Whether a token is stored and its account has been loaded. */
  get signedIn(): boolean {
    return !!this.#account && this.#token === accessToken()
  }

  /**
   * The account of the stored token, loaded once per token. Null without a token or when the
   * server refuses it (the token is then dropped). Network failures are thrown.
   */
  ensure(): Promise<Account | null> {
    const token = accessToken()
    if (!token) {
      this.#forget()
      return Promise.resolve(null)
    }
    if (this.#account && this.#token === token) return Promise.resolve(this.#account)
    this.#loading ??= this.#load(token).finally(() => (this.#loading = null))
    return this.#loading
  }

  /** Reloads the account (after a password change or a second-factor change). */
  async refresh(): Promise<Account | null> {
    this.#token = null
    return this.ensure()
  }

  async #load(token: string): Promise<Account | null> {
    try {
      const account = await getJson<Account>('/api/account')
      this.#account = account
      this.#token = token
      void this.#loadDepartment(account.user.deptId ?? null)
      return account
    } catch (error) {
      if ((error as { code?: number })?.code === 401) {
        this.clear()
        return null
      }
      throw error
    }
  }

  async #loadDepartment(deptId: string | null): Promise<void> {
    this.#department = null
    if (!deptId) return
    try {
      this.#department = await service('departments').get(deptId)
    } catch {
      // Not readable for this user: the menu shows no department.
    }
  }

  /** Stores the token of a fresh login; the account is loaded by the next `ensure()`. */
  begin(token: string): void {
    this.#forget()
    setAccessToken(token)
    reconnectRealtime()
  }

  /** Marks the session restricted (a 403 said so) until the account is reloaded. */
  restrict(restriction: Exclude<SessionRestriction, null>): void {
    if (this.#account) this.#account = { ...this.#account, restriction }
  }

  /** Forgets the token and the account (logout, ended session). */
  clear(): void {
    setAccessToken(null)
    this.#forget()
    reconnectRealtime()
  }

  #forget(): void {
    this.#account = null
    this.#department = null
    this.#token = null
  }
}

export const session = new SessionState()

/** An ended session anywhere (REST, socket) leads back to the login page, then back here. */
onAuthFailure((failure) => {
  if (typeof window === 'undefined') return
  if (failure.kind === 'restricted') {
    session.restrict(failure.restriction)
    void goto(FORCED_PAGE[failure.restriction])
    return
  }
  // Before the account is loaded the route guard handles the refusal itself.
  if (!session.account) return
  session.clear()
  toasts.info(t('auth.session_ended'))
  // During a navigation, come back to where the user was going, not where they were.
  void goto(loginUrl(navigating.to?.url ?? window.location))
})
