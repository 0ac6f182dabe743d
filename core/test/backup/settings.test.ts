import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'

describe.each(DRIVERS)(
  'backup settings on %s: the schedule and retention in effect, for system administrators',
  (driver) => {
    let t: TestServer
    let work: string
    const tokens: Record<string, string> = {}

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'medaffairs-backup-settings-'))
      // A schedule that cannot fire during the test (1 January, 02:00) and a retention of our own.
      const backup = { cron: '0 2 1 1 *', dir: join(work, 'elsewhere'), retention: { daily: 3, weekly: 2 } }
      t = await startTestServer(driver, [], { dataDir: join(work, 'data'), backup, logLevel: 'silent' })
      for (const [name, role] of [
        ['sys', 'system_admin'],
        ['sec', 'security_admin'],
        ['aud', 'audit_admin'],
        ['med', 'medical_affairs_admin']
      ]) {
        await createUser(t.server, { username: name, roles: [role] })
        tokens[name] = await login(t, name)
      }
    }, 120_000)
    afterAll(async () => {
      await t?.close()
      await rm(work, { recursive: true, force: true })
    })

    it('answers the configured schedule, the retention (defaults filled in), the folder and time zone', async () => {
      const res = await t.api('GET', '/api/backups/settings', undefined, bearer(tokens.sys))
      expect(res.status).toBe(200)
      expect(res.body).toEqual({
        cron: '0 2 1 1 *',
        retention: { daily: 3, weekly: 2, manual: 5 },
        dir: join(work, 'elsewhere'),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone
      })
      // The settings path is not taken for a backup id.
      expect((await t.api('GET', '/api/backups', undefined, bearer(tokens.sys))).body.total).toBe(0)
    })

    it('refuses every other caller over REST, and changes are not offered', async () => {
      for (const who of ['sec', 'aud', 'med'])
        expect(
          (await t.api('GET', '/api/backups/settings', undefined, bearer(tokens[who]))).status,
          who
        ).toBe(403)
      expect((await t.api('GET', '/api/backups/settings')).status).toBe(401)
      expect(
        (await t.api('POST', '/api/backups/settings', { cron: '* * * * *' }, bearer(tokens.sys))).status
      ).toBe(405)
    })

    it('refuses other callers over socket.io as over REST', async () => {
      const call = async (who: string) => {
        const socket = io(t.url, { transports: ['websocket'] })
        try {
          await new Promise((r) =>
            socket.emit('create', 'authentication', { strategy: 'jwt', accessToken: tokens[who] }, r)
          )
          return await new Promise<[{ code?: number } | null, unknown]>((resolve) =>
            socket.emit('find', 'backups/settings', {}, (error: { code?: number } | null, data: unknown) =>
              resolve([error, data])
            )
          )
        } finally {
          socket.close()
        }
      }
      expect((await call('med'))[0]?.code).toBe(403)
      const [error, data] = await call('sys')
      expect(error).toBeNull()
      expect(data).toMatchObject({ cron: '0 2 1 1 *' })
    })
  }
)
