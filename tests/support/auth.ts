import type { MedAffairsServer } from '../../core/src/app.js'
import type { TestServer } from './server.js'

export const TEST_PASSWORD = 'Test@2026pw'

/** Creates a user with a known, already-changed password (through the internal service). */
export async function createUser(
  server: MedAffairsServer,
  data: { username: string; name?: string; roles?: string[]; deptId?: string | null; status?: string },
  password = TEST_PASSWORD
): Promise<Record<string, any>> {
  const user = (await server.app.service('users').create({ name: data.username, ...data, password })) as Record<string, any>
  await server.db.query('UPDATE _credentials SET must_change = false WHERE user_id = $1', [user.id])
  return user
}

/** Logs in over REST; returns the access token. */
export async function login(t: TestServer, username: string, password = TEST_PASSWORD, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/api/authentication', { strategy: 'local', username, password, ...extra })
  if (res.status !== 201) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.accessToken
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
