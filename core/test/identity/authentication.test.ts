import { authenticator } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login, TEST_PASSWORD } from '../../../tests/support/auth.js'

const loginBody = (username: string, password: string, extra: Record<string, unknown> = {}) => ({
  strategy: 'local',
  username,
  password,
  ...extra
})

describe.each(DRIVERS)('authentication on %s', (driver) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer(driver, [], {
      identity: {
        login: {
          maxFailures: 5,
          lockMinutes: 30,
          perAccount: { points: 8, windowSeconds: 300 },
          perAddress: { points: 1000, windowSeconds: 300 },
          totpRequiredForAdmins: true
        }
      }
    })
    for (const u of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'])
      await createUser(t.server, { username: u, roles: ['staff'] })
    await createUser(t.server, { username: 'root1', roles: ['system_admin'] })
  })
  afterAll(() => t.close())

  it('logs in with the employee number and returns a token and the user without secrets', async () => {
    const res = await t.api('POST', '/api/authentication', loginBody('alice', TEST_PASSWORD))
    expect(res.status).toBe(201)
    expect(res.body.accessToken).toMatch(/^ey/)
    expect(res.body.user.username).toBe('alice')
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash|\$2b\$/i)
    const me = await t.api('GET', '/api/account', undefined, bearer(res.body.accessToken))
    expect(me.body.user.username).toBe('alice')
    expect(me.body.roles).toEqual([{ code: 'staff', name: { 'zh-CN': '员工', 'en-US': 'Staff member' } }])
    expect(me.body.department).toBeNull()
    expect(me.body.restriction).toBeNull()
  })

  it('counts failures, tells how many attempts are left, and locks after five', async () => {
    for (let i = 4; i >= 1; i--) {
      const res = await t.api('POST', '/api/authentication', loginBody('bob', 'wrong-Pass1'))
      expect(res.status).toBe(401)
      expect(res.body.data.remaining).toBe(i)
    }
    const fifth = await t.api('POST', '/api/authentication', loginBody('bob', 'wrong-Pass1'))
    expect(fifth.body.data).toMatchObject({ locked: true, minutes: 30 })
    const right = await t.api('POST', '/api/authentication', loginBody('bob', TEST_PASSWORD))
    expect(right.status).toBe(401)
    expect(right.body.message).toMatch(/账户已锁定/)
  })

  it('gives the same answer for an unknown account as for a wrong password', async () => {
    const res = await t.api('POST', '/api/authentication', loginBody('nobody', 'whatever-1A'))
    expect(res.status).toBe(401)
    expect(res.body.message).toBe('工号或密码错误 (wrong employee number or password)')
  })

  it('rate-limits attempts per account with 429 and Retry-After data', async () => {
    let last = { status: 0, body: {} as any }
    for (let i = 0; i < 9; i++)
      last = await t.api('POST', '/api/authentication', loginBody('ghost-account', 'x-Wrong-1'))
    expect(last.status).toBe(429)
    expect(last.body.data.retryAfter).toBeGreaterThan(0)
    const raw = await fetch(`${t.url}/api/authentication`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(loginBody('ghost-account', 'x-Wrong-1'))
    })
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('revokes the session at logout: the same token no longer works on any transport', async () => {
    const token = await login(t, 'carol')
    expect((await t.api('GET', '/api/account', undefined, bearer(token))).status).toBe(200)
    expect((await t.api('DELETE', `/api/authentication/${token}`, undefined, bearer(token))).status).toBe(200)
    const after = await t.api('GET', '/api/account', undefined, bearer(token))
    expect(after.status).toBe(401)
    expect(after.body.data.sessionEnded).toBe(true)
  })

  it('ends the session on open sockets too: the next socket call after logout is refused', async () => {
    await createUser(t.server, { username: 'sockuser', roles: ['staff'] })
    const token = await login(t, 'sockuser')
    const socket = io(t.url, { transports: ['websocket'] })
    const call = (...args: unknown[]) =>
      new Promise<any>((resolve) =>
        socket.emit(...(args as [string]), (err: any, data: any) => resolve(err ? { error: err } : { data }))
      )
    await call('create', 'authentication', { strategy: 'jwt', accessToken: token })
    expect((await call('find', 'departments', {})).data).toBeDefined()
    expect((await t.api('DELETE', `/api/authentication/${token}`, undefined, bearer(token))).status).toBe(200)
    const after = await call('find', 'departments', {})
    expect(after.error?.code).toBe(401)
    socket.close()
  })

  it('ends every session when an administrator disables the user', async () => {
    const token = await login(t, 'dave')
    const user = (
      await t.server.app.service('users').find({ query: { username: 'dave' }, paginate: false })
    )[0]
    await t.server.app.service('users').patch(user.id, { status: 'disabled' })
    expect((await t.api('GET', '/api/account', undefined, bearer(token))).status).toBe(401)
    expect(
      (await t.api('POST', '/api/authentication', loginBody('dave', TEST_PASSWORD))).body.message
    ).toMatch(/停用/)
  })

  it('forces an initial password to be changed before anything else, and enforces the policy and history', async () => {
    const user = await t.server.app
      .service('users')
      .create({ username: 'newbie', name: '新人', roles: ['staff'], password: 'Initial#2026' })
    const res = await t.api('POST', '/api/authentication', loginBody('newbie', 'Initial#2026'))
    const auth = bearer(res.body.accessToken)
    expect(res.body.authentication.restriction).toBe('password_change')
    expect((await t.api('GET', '/api/departments', undefined, auth)).status).toBe(403)
    const weak = await t.api(
      'POST',
      '/api/account/password',
      { currentPassword: 'Initial#2026', newPassword: 'short' },
      auth
    )
    expect(weak.status).toBe(400)
    expect(weak.body.errors.map((e: any) => e.field)).toContain('newPassword')
    const same = await t.api(
      'POST',
      '/api/account/password',
      { currentPassword: 'Initial#2026', newPassword: 'Initial#2026' },
      auth
    )
    expect(same.body.errors[0].reason).toMatch(/最近5次/)
    const wrongCurrent = await t.api(
      'POST',
      '/api/account/password',
      { currentPassword: 'nope', newPassword: 'Better#Pass9' },
      auth
    )
    expect(wrongCurrent.body.errors[0].field).toBe('currentPassword')
    expect(
      (
        await t.api(
          'POST',
          '/api/account/password',
          { currentPassword: 'Initial#2026', newPassword: 'Better#Pass9' },
          auth
        )
      ).status
    ).toBe(201)
    expect((await t.api('GET', '/api/departments', undefined, auth)).status).toBe(200)
    expect(user.id).toBeTruthy()
  })

  it('expires passwords older than the policy allows', async () => {
    const user = (
      await t.server.app.service('users').find({ query: { username: 'erin' }, paginate: false })
    )[0]
    await t.server.db.query(
      `UPDATE _credentials SET password_changed_at = now() - interval '91 days' WHERE user_id = $1`,
      [user.id]
    )
    const res = await t.api('POST', '/api/authentication', loginBody('erin', TEST_PASSWORD))
    expect(res.body.authentication.restriction).toBe('password_change')
  })

  it('sets up a second factor and then requires it at login', async () => {
    const auth = bearer(await login(t, 'frank'))
    const setup = await t.api('POST', '/api/account/totp', { action: 'setup' }, auth)
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/MedAffairs:frank/)
    expect(
      (await t.api('POST', '/api/account/totp', { action: 'enable', code: '000000' }, auth)).status
    ).toBe(400)
    const code = authenticator.generate(setup.body.secret)
    expect((await t.api('POST', '/api/account/totp', { action: 'enable', code }, auth)).body.enabled).toBe(
      true
    )
    const noCode = await t.api('POST', '/api/authentication', loginBody('frank', TEST_PASSWORD))
    expect(noCode.status).toBe(401)
    expect(noCode.body.data.totpRequired).toBe(true)
    // The code that enabled the factor was used once already: replaying it is refused.
    const replayed = await t.api(
      'POST',
      '/api/authentication',
      loginBody('frank', TEST_PASSWORD, { totp: code })
    )
    expect(replayed.status).toBe(401)
    const next = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(setup.body.secret)
    const withCode = await t.api(
      'POST',
      '/api/authentication',
      loginBody('frank', TEST_PASSWORD, { totp: next })
    )
    expect(withCode.status).toBe(201)
    const again = await t.api(
      'POST',
      '/api/authentication',
      loginBody('frank', TEST_PASSWORD, { totp: next })
    )
    expect(again.status).toBe(401)
  })

  it('makes administrators enrol a second factor when the policy requires it', async () => {
    const res = await t.api('POST', '/api/authentication', loginBody('root1', TEST_PASSWORD))
    expect(res.body.authentication.restriction).toBe('totp_enroll')
    expect((await t.api('GET', '/api/users', undefined, bearer(res.body.accessToken))).status).toBe(403)
  })

  it('stores passwords with native bcrypt at cost 10 or more, outside the user record', async () => {
    const { rows } = await t.server.db.query(`SELECT password_hash FROM _credentials LIMIT 1`)
    expect(rows[0].password_hash).toMatch(/^\$2b\$1\d\$/)
    const users = await t.server.db.query(`SELECT doc::text AS doc FROM c_users`)
    expect(users.rows.every((r: any) => !/\$2b\$|password/.test(r.doc))).toBe(true)
  })
})
