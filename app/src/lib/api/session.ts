/**
 * The access token of the signed-in user, if any. Signing in is not built into the web app
 * yet (identity comes next); this is where its login will put the token, under the key
 * @feathersjs/authentication-client uses, so that client can take over without migration.
 */
export const TOKEN_KEY = 'feathers-jwt'

export function accessToken(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

export function setAccessToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token)
  else localStorage.removeItem(TOKEN_KEY)
}
