import { getServiceOptions } from '@feathersjs/feathers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './support/server.js'
import { bearer, createUser, login, TEST_PASSWORD } from './support/auth.js'
import { MATRIX, ROLES, type Who } from './permission-matrix.js'

const NO_ID = '00000000-0000-7000-8000-000000000000'
const HTTP: Record<string, [string, boolean]> = {
  find: ['GET', false],
  get: ['GET', true],
  create: ['POST', false],
  update: ['PUT', true],
  patch: ['PATCH', true],
  remove: ['DELETE', true]
}
type Caller = (typeof ROLES)[number] | 'anonymous'

function allowed(who: Who, caller: Caller): boolean {
  if (who === 'public') return true
  if (caller === 'anonymous') return false
  return who === 'signed-in' || who.includes(caller)
}

/** A request that reaches the permission check without changing data that matters. */
function probe(path: string, method: string, caller: Caller, tokens: Record<string, string>) {
  if (path === 'authentication' && method === 'create') {
    // Anyone may log in: the anonymous caller uses valid credentials of its own.
    return {
      id: undefined,
      body: {
        strategy: 'local',
        username: caller === 'anonymous' ? 'u_staff' : `u_${caller}`,
        password: TEST_PASSWORD
      }
    }
  }
  if (path === 'authentication' && method === 'remove')
    return { id: tokens[caller] ?? 'none', body: undefined }
  if (path === 'plugins')
    return { id: 'dictionaries', body: method === 'patch' ? { enabled: true } : undefined }
  return {
    id: NO_ID,
    body: method === 'create' || method === 'update' || method === 'patch' ? {} : undefined
  }
}

describe('permission matrix: every service × method × role, and anonymous', () => {
  let t: TestServer
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    t = await startTestServer('pglite') // every installed plugin, as in production
    // Users sit in a department so department scopes are not empty (scope is tested elsewhere).
    const dept = (await t.server.app
      .service('departments')
      .create({ code: 'M', name: 'Matrix', type: 'clinical' })) as { id: string }
    for (const role of ROLES) {
      await createUser(t.server, { username: `u_${role}`, roles: [role], deptId: dept.id })
      tokens[role] = await login(t, `u_${role}`)
    }
  })
  afterAll(() => t.close())

  it('declares a row for every registered service and method', () => {
    const missing: string[] = []
    for (const [path, service] of Object.entries(t.server.app.services)) {
      for (const method of getServiceOptions(service).methods ?? [])
        if (!MATRIX[path]?.[method]) missing.push(`${path}.${method}`)
    }
    expect(missing, 'declare these in tests/permission-matrix.ts').toEqual([])
  })

  it('allows and denies exactly as declared, on REST', async () => {
    const wrong: string[] = []
    for (const [path, service] of Object.entries(t.server.app.services)) {
      for (const method of getServiceOptions(service).methods ?? []) {
        const [verb, withId] = HTTP[method]
        for (const caller of ['anonymous', ...ROLES] as Caller[]) {
          const { id, body } = probe(path, method, caller, tokens)
          const url = `/api/${path}${withId ? `/${id}` : ''}`
          const res = await t.api(verb, url, body, caller === 'anonymous' ? {} : bearer(tokens[caller]))
          const denied = res.status === 401 || res.status === 403
          const expectAllowed = allowed(MATRIX[path][method], caller)
          if (denied === expectAllowed)
            wrong.push(
              `${caller} ${verb} ${url} → ${res.status} (expected ${expectAllowed ? 'allowed' : 'denied'})`
            )
          if (res.status >= 500)
            wrong.push(`${caller} ${verb} ${url} → ${res.status} ${JSON.stringify(res.body)}`)
        }
        if (path === 'authentication' && method === 'remove') {
          for (const role of ROLES) tokens[role] = await login(t, `u_${role}`) // logout ended the sessions
        }
      }
    }
    expect(wrong).toEqual([])
  }, 300_000)
})
