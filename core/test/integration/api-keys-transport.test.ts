import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { keyHeader, startIntegrationServer, type IntegrationTestServer } from './support.js'

const readUsers = { grants: [{ collection: 'users', actions: ['read'], scope: 'all' }] }

describe.each(DRIVERS)('API keys behind a trusted proxy and over socket.io on %s', (driver) => {
  let t: IntegrationTestServer
  let admin: Record<string, string>
  const newKey = async (data: Record<string, unknown>) => {
    const res = await t.api('POST', '/api/api-keys', { name: 'HIS', scopes: readUsers, ...data }, admin)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as { id: string; key: string }
  }

  beforeAll(async () => {
    t = await startIntegrationServer(driver, [], { integration: { trustProxy: true } })
    await createUser(t.server, { username: 'sec', roles: ['security_admin'] })
    admin = bearer(await login(t, 'sec'))
  })
  afterAll(() => t.close())

  it('believes the last X-Forwarded-For hop when trustProxy is on', async () => {
    const { id, key } = await newKey({ allowList: ['10.1.2.0/24'] })
    const status = async (xff?: string) =>
      (await t.api('GET', '/api/users', undefined, keyHeader(key, xff ? { 'x-forwarded-for': xff } : {})))
        .status
    expect(await status('10.1.2.3')).toBe(200)
    expect(await status('10.9.9.9')).toBe(403)
    // The proxy appends what it saw; a client-written first entry is not believed.
    expect(await status('10.1.2.3, 9.9.9.9')).toBe(403)
    expect(await status('9.9.9.9, 10.1.2.7')).toBe(200)
    expect(await status()).toBe(403)
    const entries = await t.audit.search({ actorId: `apikey:${id}` })
    expect(entries.map((e) => e.ip)).toEqual(['127.0.0.1', '10.1.2.7', '9.9.9.9', '10.9.9.9', '10.1.2.3'])
  })

  it('believes the same proxy hop for a socket as for REST', async () => {
    const { key } = await newKey({ allowList: ['10.1.2.0/24'] })
    const signIn = async (xff?: string) => {
      const socket: Socket = io(t.url, {
        transports: ['websocket'],
        extraHeaders: xff ? { 'x-forwarded-for': xff } : {}
      })
      try {
        return await new Promise<any>((resolve) =>
          socket.emit('create', 'authentication', { strategy: 'apikey', apiKey: key }, (err: any) =>
            resolve(err?.code ?? 201)
          )
        )
      } finally {
        socket.close()
      }
    }
    expect(await signIn('9.9.9.9, 10.1.2.7')).toBe(201)
    expect(await signIn('10.1.2.3, 9.9.9.9')).not.toBe(201)
    expect(await signIn()).not.toBe(201)
  })

  it('authenticates a socket with a key; each call is checked and audited, and revocation applies at once', async () => {
    const { id, key } = await newKey({})
    const socket: Socket = io(t.url, { transports: ['websocket'] })
    const call = (...args: unknown[]) =>
      new Promise<any>((resolve) =>
        socket.emit(...(args as [string]), (err: any, data: any) => resolve(err ? { error: err } : { data }))
      )
    try {
      const bad = await call('create', 'authentication', {
        strategy: 'apikey',
        apiKey: 'ma_aaaaaaaa_' + 'B'.repeat(43)
      })
      expect(bad.error.code).toBe(401)
      const ok = await call('create', 'authentication', { strategy: 'apikey', apiKey: key })
      expect(ok.data).toMatchObject({ authentication: { strategy: 'apikey' }, apiKey: { id, name: 'HIS' } })
      expect(ok.data.accessToken).toBeUndefined() // a key never turns into a session token
      expect(JSON.stringify(ok.data)).not.toContain(key)
      expect((await call('find', 'users', {})).data.data.length).toBeGreaterThan(0)
      expect((await call('create', 'users', { username: 'x', name: 'x' }, {})).error.code).toBe(403)
      await t.api('DELETE', `/api/api-keys/${id}`, undefined, admin)
      const after = await call('find', 'users', {})
      expect([after.error.code, after.error.data.reason]).toEqual([403, 'revoked'])
    } finally {
      socket.close()
    }
    const entries = (await t.audit.search({ actorId: `apikey:${id}` })).reverse()
    expect(entries.map((e) => [e.action, e.diff.outcome ?? null])).toEqual([
      ['login', null],
      ['read', 'ok'],
      ['create', 'refused'],
      ['read', 'refused']
    ])
  })
})
