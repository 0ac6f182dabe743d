import type { SessionRestriction } from '$lib/api/types'

/** Pages reachable without signing in. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/login'])

/** The one page a restricted session may use until the user has done what it asks. */
export const FORCED_PAGE: Record<Exclude<SessionRestriction, null>, string> = {
  password_change: '/account/password',
  totp_enroll: '/account/security'
}

/** `/login?next=<path and query>` for coming back after signing in. */
export function loginUrl(url: URL | { pathname: string; search: string }): string {
  const here = `${url.pathname}${url.search}`
  if (here === '/' || PUBLIC_PATHS.has(url.pathname)) return '/login'
  return `/login?next=${encodeURIComponent(here)}`
}

/**
 * Where to go after signing in: the `next` parameter when it is a path of this site (never
 * another origin, never the login page itself), else the home page.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  const path = next.split(/[?#]/)[0]
  return PUBLIC_PATHS.has(path) ? '/' : next
}

/**
 * Where a protected page must send the user instead of rendering, or null to render it:
 * the login page without a token, the forced page while the session is restricted.
 */
export function guardTarget(
  url: URL | { pathname: string; search: string },
  state: { signedIn: boolean; restriction: SessionRestriction }
): string | null {
  if (PUBLIC_PATHS.has(url.pathname)) return null
  if (!state.signedIn) return loginUrl(url)
  if (state.restriction) {
    const forced = FORCED_PAGE[state.restriction]
    return url.pathname === forced ? null : forced
  }
  return null
}
