import type { MedAffairsServer } from '../../core/src/app.js'
import type { TestServer } from './server.js'

export const TEST_PASSWORD = 'Test@2026pw'

/** Creates a user with a known, already-changed password (through the internal service). */
export async function createUser(
  server: MedAffairsServer,
  data: { username: string; name?: string; roles?: string[]; deptId?: string | null; status?: string },
  password = TEST_PASSWORD
): Promise<Record<string, any>> {
  const user = (await server.app
    .service('users')
    .create({ name: data.username, ...data, password })) as Record<string, any>
  await server.db.query('UPDATE _credentials SET must_change = false WHERE user_id = $1', [user.id])
  return user
}

/** Logs in over REST; returns the access token. */
export async function login(
  t: TestServer,
  username: string,
  password = TEST_PASSWORD,
  extra: Record<string, unknown> = {}
): Promise<string> {
  const res = await t.api('POST', '/api/authentication', { strategy: 'local', username, password, ...extra })
  if (res.status !== 201)
    throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.accessToken
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

type Rec = Record<string, any>

/** The people a test signs in with: each one's role and which of the two departments they sit in. */
export type Cast = Record<string, [role: string, dept: 'A' | 'B']>

/**
 * Two clinical departments A and B, and the given people created in them and logged in: the
 * start most scope tests share. `auth[name]` is the person's Authorization header.
 */
export async function peopleInTwoDepartments(t: TestServer, cast: Cast) {
  const departments = t.server.app.service('departments')
  const depts: Record<'A' | 'B', Rec> = {
    A: (await departments.create({ code: 'A', name: 'A', type: 'clinical' })) as Rec,
    B: (await departments.create({ code: 'B', name: 'B', type: 'clinical' })) as Rec
  }
  const users: Record<string, Rec> = {}
  const auth: Record<string, Record<string, string>> = {}
  for (const [name, [role, dept]] of Object.entries(cast)) {
    users[name] = await createUser(t.server, { username: name, roles: [role], deptId: depts[dept].id })
    auth[name] = bearer(await login(t, name))
  }
  return { depts, users, auth }
}
