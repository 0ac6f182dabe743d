import { writeFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditLog } from '../../src/audit/audit-log.js'
import { prepareWorkspaceSchema } from '../../src/backup/prepare.js'
import { restoreBackup } from '../../src/backup/restore.js'
import { readMasterKey } from '../../src/crypto/index.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { casesPlugin, download } from '../files/support.js'
import { emptyTarget } from './support.js'

const MASTER = join(tmpdir(), 'medaffairs-test-master.pem')

describe.each(DRIVERS)(
  'backups API on %s: system administrators only, progress through jobs, audited download',
  (driver) => {
    let t: TestServer
    let work: string
    const auth: Record<string, Record<string, string>> = {}
    const tokens: Record<string, string> = {}

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'medaffairs-backup-api-'))
      // A schedule that cannot fire during the test (1 January, 02:00).
      t = await startTestServer(driver, [casesPlugin], {
        dataDir: join(work, 'source'),
        backup: { cron: '0 2 1 1 *' }
      })
      for (const [name, role] of [
        ['sys', 'system_admin'],
        ['sec', 'security_admin'],
        ['aud', 'audit_admin'],
        ['staff', 'staff']
      ]) {
        await createUser(t.server, { username: name, roles: [role] })
        tokens[name] = await login(t, name)
        auth[name] = bearer(tokens[name])
      }
      await t.api('POST', '/api/cases', { title: '备份我' }, auth.staff)
    }, 120_000)
    afterAll(async () => {
      await t?.close()
      await rm(work, { recursive: true, force: true })
    })

    /** Waits for the job to finish (the queue polls; no fixed sleep decides the outcome). */
    async function finished(jobId: string): Promise<Record<string, any>> {
      for (let i = 0; i < 600; i++) {
        const job = (await t.api('GET', `/api/jobs/${jobId}`, undefined, auth.sys)).body
        if (['completed', 'failed', 'cancelled'].includes(job.state)) return job
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`job ${jobId} did not finish`)
    }

    it('schedules the backup job with the configured cron', async () => {
      const { rows } = await t.server.db.query(
        `SELECT cron, data FROM pgboss.schedule WHERE name = 'backup.full'`
      )
      expect(rows).toEqual([{ cron: '0 2 1 1 *', data: { kind: 'scheduled' } }])
    })

    it('denies every other caller, over REST', async () => {
      for (const who of ['sec', 'aud', 'staff']) {
        expect((await t.api('GET', '/api/backups', undefined, auth[who])).status, who).toBe(403)
        expect((await t.api('POST', '/api/backups', {}, auth[who])).status, who).toBe(403)
      }
      expect((await t.api('GET', '/api/backups')).status).toBe(401)
      expect((await t.api('POST', '/api/backups', {})).status).toBe(401)
      expect((await t.api('GET', '/api/backups', undefined, auth.sys)).body).toEqual({
        total: 0,
        limit: 20,
        skip: 0,
        data: []
      })
    })

    it('denies other callers over socket.io as over REST', async () => {
      const call = async (who: string, method: string, ...args: unknown[]) => {
        const socket = io(t.url, { transports: ['websocket'] })
        try {
          await new Promise((r) =>
            socket.emit('create', 'authentication', { strategy: 'jwt', accessToken: tokens[who] }, r)
          )
          return await new Promise<{ code?: number } | null>((resolve) =>
            socket.emit(method, 'backups', ...args, (error: { code?: number } | null) => resolve(error))
          )
        } finally {
          socket.close()
        }
      }
      expect((await call('staff', 'find', {}))?.code).toBe(403)
      expect((await call('sec', 'create', {}, {}))?.code).toBe(403)
      expect(await call('sys', 'find', {})).toBeNull()
    })

    it('a system administrator starts a backup; the job reports progress; the list shows it; the download is refused to others and audited', async () => {
      const started = await t.api('POST', '/api/backups', {}, auth.sys)
      expect(started.status).toBe(201)
      const job = await finished(started.body.jobId)
      expect(job).toMatchObject({
        state: 'completed',
        name: 'backup.full',
        createdBy: expect.any(String),
        progress: { done: 100, total: 100 }
      })
      const list = (await t.api('GET', '/api/backups', undefined, auth.sys)).body
      expect(list.total).toBe(1)
      const id = list.data[0].id as string
      expect(id).toBe(job.result.id)
      expect(list.data[0]).toMatchObject({
        kind: 'manual',
        tables: expect.any(Number),
        rows: expect.any(Number)
      })
      expect((await t.api('GET', '/api/backups?$skip=1', undefined, auth.sys)).body).toMatchObject({
        total: 1,
        skip: 1,
        data: []
      })
      const one = (await t.api('GET', `/api/backups/${id}`, undefined, auth.sys)).body
      expect(one.masterKeys).toEqual([
        readMasterKey({ kind: 'file', path: MASTER, setting: 'test' })!.fingerprint
      ])
      expect(one.tableList.find((x: { table: string }) => x.table === 'c_cases')).toMatchObject({ rows: 1 })
      expect((await t.api('GET', `/api/backups/${id}`, undefined, auth.staff)).status).toBe(403)
      expect(
        (await t.api('GET', '/api/backups/full-20000101T000000Z-manual', undefined, auth.sys)).status
      ).toBe(404)

      expect((await download(t, `/api/backups/${id}/content`)).status).toBe(401)
      for (const who of ['sec', 'aud', 'staff'])
        expect((await download(t, `/api/backups/${id}/content`, tokens[who])).status, who).toBe(403)
      expect(
        (await new AuditLog(t.server.db).search({ collection: 'backups', action: 'export' })).length
      ).toBe(0)

      const tar = await download(t, `/api/backups/${id}/content`, tokens.sys)
      expect(tar.status).toBe(200)
      expect(tar.headers.get('content-disposition')).toBe(`attachment; filename="${id}.tar"`)
      const entries = await new AuditLog(t.server.db).search({ collection: 'backups', action: 'export' })
      expect(entries).toHaveLength(1)
      expect(entries[0]).toMatchObject({ recordId: id, actorName: 'sys' })
      expect(
        (await new AuditLog(t.server.db).search({ collection: 'backups', action: 'create' }))[0]
      ).toMatchObject({ recordId: started.body.jobId })

      // The downloaded tar restores as it is.
      const file = join(work, `${id}.tar`)
      await writeFile(file, tar.bytes)
      const dir = join(work, 'target')
      const target = await emptyTarget(driver, dir)
      try {
        const summary = await restoreBackup({
          source: file,
          openTarget: target.open,
          filesDir: join(dir, 'files'),
          masterKeyFingerprint: one.masterKeys[0],
          prepareSchema: (db) =>
            prepareWorkspaceSchema(db, { dataDir: dir, crypto: { masterKeyFile: MASTER } }, [casesPlugin])
        })
        expect(summary.id).toBe(id)
        expect(summary.load.rows).toBe(one.rows)
        const db = await target.open()
        expect((await db.query(`SELECT doc->>'title' AS title FROM c_cases`)).rows).toEqual([
          { title: '备份我' }
        ])
        await db.close()
      } finally {
        await target.drop()
      }
    }, 180_000)
  }
)
