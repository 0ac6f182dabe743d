import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { keyHeader, startIntegrationServer, type IntegrationTestServer } from './support.js'

const papers = defineCollection({
  name: 'papers',
  fields: [
    { name: 'title', type: 'string', filterable: true },
    { name: 'idNumber', type: 'string', sensitive: true, filterable: true }
  ]
})
const plugin = definePlugin({ name: 'papers', version: '1.0.0', collections: [papers] })
const readUsers = { grants: [{ collection: 'users', actions: ['read'], scope: 'all' }] }

describe.each(DRIVERS)('API keys on %s', (driver) => {
  let t: IntegrationTestServer
  const auth: Record<string, Record<string, string>> = {}
  let staffId: string
  const newKey = async (data: Record<string, unknown>) => {
    const res = await t.api(
      'POST',
      '/api/api-keys',
      { name: 'HIS', scopes: readUsers, ...data },
      auth.security
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as { id: string; key: string; prefix: string }
  }
  const trail = (id: string) => t.audit.search({ actorId: `apikey:${id}` }, 500)

  beforeAll(async () => {
    t = await startIntegrationServer(driver, [plugin])
    for (const [name, role] of [
      ['sec', 'security_admin'],
      ['sys', 'system_admin'],
      ['staff1', 'staff']
    ] as const) {
      const u = await createUser(t.server, { username: name, roles: [role] })
      if (name === 'staff1') staffId = u.id
      auth[name === 'sec' ? 'security' : name] = bearer(await login(t, name))
    }
  })
  afterAll(() => t.close())

  it('lets only the security administrator manage keys', async () => {
    expect((await t.api('GET', '/api/api-keys')).status).toBe(401)
    for (const who of ['sys', 'staff1']) {
      expect((await t.api('GET', '/api/api-keys', undefined, auth[who])).status).toBe(403)
      expect((await t.api('POST', '/api/api-keys', { name: 'x', scopes: readUsers }, auth[who])).status).toBe(
        403
      )
    }
    expect((await t.api('GET', '/api/api-keys', undefined, auth.security)).status).toBe(200)
  })

  it('returns the secret once; lists and reads show only the prefix', async () => {
    const events: unknown[] = []
    for (const e of ['created', 'patched', 'removed'])
      t.server.app.service('api-keys').on(e, (d: unknown) => events.push(d))
    const created = await newKey({ allowList: ['127.0.0.1/32', '::1/128'] })
    expect(created.key).toMatch(new RegExp(`^ma_${created.prefix}_[A-Za-z0-9_-]{43}$`))
    const secret = created.key.split('_').slice(2).join('_')
    const list = await t.api('GET', '/api/api-keys', undefined, auth.security)
    const one = await t.api('GET', `/api/api-keys/${created.id}`, undefined, auth.security)
    const patched = await t.api('PATCH', `/api/api-keys/${created.id}`, { name: 'HIS 人事' }, auth.security)
    for (const body of [list.body, one.body, patched.body]) {
      expect(JSON.stringify(body)).not.toContain(secret)
      expect(JSON.stringify(body)).not.toMatch(/"(key|hash)"/)
    }
    expect(list.body.data.find((k: any) => k.id === created.id)).toMatchObject({
      prefix: created.prefix,
      status: 'active'
    })
    expect(patched.body.name).toBe('HIS 人事')
    expect(events).toEqual([]) // no service event ever carries the one-time secret
  })

  it('refuses own/department scopes, $user filters, unknown collections, bad CIDRs and past expiry', async () => {
    const bad = await t.api(
      'POST',
      '/api/api-keys',
      {
        name: 'bad',
        allowList: ['10.0.0.0/33', 'not-an-ip'],
        expiresAt: '2000-01-01T00:00:00Z',
        scopes: {
          grants: [
            { collection: 'papers', actions: ['read'], scope: 'own' },
            { collection: 'papers', actions: ['read'], scope: 'custom', filter: { ownerId: '$user.id' } },
            { collection: 'nope', actions: ['read'], scope: 'all' },
            { collection: 'api_keys', actions: ['read'], scope: 'all' }
          ]
        }
      },
      auth.security
    )
    expect(bad.status).toBe(400)
    const fields = bad.body.errors.map((e: { field: string }) => e.field)
    expect(fields).toEqual(
      expect.arrayContaining([
        'scopes.grants[0].scope',
        'scopes.grants[1].filter',
        'scopes.grants[2].collection',
        'scopes.grants[3].collection',
        'allowList[0]',
        'allowList[1]',
        'expiresAt'
      ])
    )
  })

  it('reads users with read/all, refuses writes and other collections, and audits every call', async () => {
    const { id, key } = await newKey({})
    const list = await t.api('GET', '/api/users?$limit=50', undefined, keyHeader(key))
    expect(list.status).toBe(200)
    expect(list.body.data.map((u: any) => u.username)).toEqual(
      expect.arrayContaining(['sec', 'sys', 'staff1'])
    )
    expect((await t.api('GET', `/api/users/${staffId}`, undefined, keyHeader(key))).status).toBe(200)
    expect((await t.api('PATCH', `/api/users/${staffId}`, { name: 'x' }, keyHeader(key))).status).toBe(403)
    expect((await t.api('POST', '/api/users', { username: 'k1', name: 'k1' }, keyHeader(key))).status).toBe(
      403
    )
    expect((await t.api('GET', '/api/papers', undefined, keyHeader(key))).status).toBe(403)
    // A key is nobody's session: user-only services refuse it.
    expect((await t.api('GET', '/api/account', undefined, keyHeader(key))).status).toBe(401)
    expect((await t.api('GET', '/api/api-keys', undefined, keyHeader(key))).status).toBe(403)
    const entries = (await trail(id)).reverse()
    expect(entries.map((e) => [e.action, e.collection, e.diff.status])).toEqual([
      ['read', 'users', 200],
      ['read', 'users', 200],
      ['patch', 'users', 403],
      ['create', 'users', 403],
      ['read', 'papers', 403],
      ['read', 'account', 401],
      ['read', 'api-keys', 403]
    ])
    expect(entries[1]).toMatchObject({
      recordId: staffId,
      actorName: 'HIS',
      ip: expect.stringMatching(/127\.0\.0\.1/)
    })
    expect(entries[0].diff).toMatchObject({
      outcome: 'ok',
      returned: list.body.data.length,
      total: list.body.total,
      query: { $limit: '50' }
    })
    const row = (
      await t.server.db.query('SELECT last_used_at, last_used_ip FROM _api_keys WHERE id = $1', [id])
    ).rows[0]
    expect(row.last_used_at).not.toBeNull()
    expect(row.last_used_ip).toBe('127.0.0.1')
  })

  it('writes as the key: records carry it, the write is audited once with its diff, sensitive query values are masked', async () => {
    const { id, key } = await newKey({
      scopes: { grants: [{ collection: 'papers', actions: ['read', 'create', 'update'], scope: 'all' }] }
    })
    const created = await t.api(
      'POST',
      '/api/papers',
      { title: 'HIS import', idNumber: '110101199003070011' },
      keyHeader(key)
    )
    expect(created.status).toBe(201)
    expect(created.body.createdBy).toBe(`apikey:${id}`)
    expect(
      (await t.api('GET', '/api/papers?idNumber=110101199003070011', undefined, keyHeader(key))).status
    ).toBe(200)
    // A batch runs nested calls as the key: one call entry, one change entry per row, one rate-limit hit.
    const batch = await t.api(
      'POST',
      '/api/batch',
      { collection: 'papers', action: 'patch', ids: [created.body.id], data: { title: 'checked' } },
      keyHeader(key)
    )
    expect(batch.body).toMatchObject({ count: 1 })
    const entries = (await trail(id)).reverse()
    expect(entries.map((e) => [e.action, e.collection])).toEqual([
      ['create', 'papers'],
      ['read', 'papers'],
      ['patch', 'papers'],
      ['create', 'batch']
    ])
    expect(entries[0]).toMatchObject({ recordId: created.body.id, actorName: 'HIS' })
    expect(entries[2].diff).toMatchObject({ title: ['HIS import', 'checked'] })
    const hits = await t.server.db.query('SELECT count FROM _rate_limits WHERE key = $1', [`apikey:${id}`])
    expect(hits.rows[0].count).toBe(3)
    expect(JSON.stringify(entries)).not.toContain('110101199003070011')
  })

  it('refuses a disallowed address, an expired key and a revoked key, with the reason, and audits the refusals', async () => {
    const far = await newKey({ allowList: ['10.1.2.0/24', '2001:db8::/32'] })
    const res = await t.api(
      'GET',
      '/api/users',
      undefined,
      keyHeader(far.key, { 'x-forwarded-for': '10.1.2.3' })
    )
    expect(res.status).toBe(403)
    expect(res.body.data.reason).toBe('address') // X-Forwarded-For is not believed by default
    const { id, key } = await newKey({})
    expect((await t.api('GET', '/api/users', undefined, keyHeader(key))).status).toBe(200)
    await t.server.db.query(`UPDATE _api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      id
    ])
    const expired = await t.api('GET', '/api/users', undefined, keyHeader(key))
    expect([expired.status, expired.body.data.reason]).toEqual([403, 'expired'])
    await t.server.db.query(`UPDATE _api_keys SET expires_at = NULL WHERE id = $1`, [id])
    const revoked = await t.api('DELETE', `/api/api-keys/${id}`, undefined, auth.security)
    expect(revoked.body.status).toBe('revoked')
    const after = await t.api('GET', '/api/users', undefined, keyHeader(key))
    expect([after.status, after.body.data.reason]).toEqual([403, 'revoked'])
    expect((await t.api('PATCH', `/api/api-keys/${id}`, { name: 'again' }, auth.security)).status).toBe(400)
    expect((await trail(far.id))[0].diff).toMatchObject({
      outcome: 'refused',
      reason: 'address',
      status: 403
    })
    expect((await trail(id)).slice(0, 2).map((e) => e.diff.reason)).toEqual(['revoked', 'expired'])
  })

  it('answers 401 to an unknown key and records the failed attempt', async () => {
    const res = await t.api('GET', '/api/users', undefined, keyHeader('ma_zzzzzzzz_' + 'A'.repeat(43)))
    expect(res.status).toBe(401)
    expect((await t.api('GET', '/api/users', undefined, keyHeader('garbage'))).status).toBe(401)
    const failed = await t.audit.search({ action: 'login_failed', collection: 'api_keys' })
    expect(failed.length).toBeGreaterThanOrEqual(2)
  })

  it('limits each key to its rate and answers 429', async () => {
    const { id, key } = await newKey({ ratePerMinute: 3 })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push((await t.api('GET', '/api/users', undefined, keyHeader(key))).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    expect((await trail(id))[0].diff).toMatchObject({ status: 429, reason: 'rate' })
  })
})
