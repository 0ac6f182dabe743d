import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackup } from '../../src/backup/create.js'
import { filePath, MANIFEST, type Manifest } from '../../src/backup/format.js'
import { RestoreRefusedError } from '../../src/backup/load.js'
import { prepareWorkspaceSchema } from '../../src/backup/prepare.js'
import { restoreBackup, type RestoreOptions } from '../../src/backup/restore.js'
import { BackupInvalidError } from '../../src/backup/verify.js'
import { DataDirLockedError } from '../../src/db/data-dir-lock.js'
import { openPglite, type Db } from '../../src/db/index.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { casesPlugin, pdfBytes, upload } from '../files/support.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { emptyTarget } from './support.js'

const MASTER = join(tmpdir(), 'medaffairs-test-master.pem')

describe.each(DRIVERS)('restore refuses what it must on %s', (driver) => {
  let t: TestServer
  let work: string
  let manifest: Manifest
  const backupDir = () => join(work, 'backups', manifest.id)

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'medaffairs-refuse-'))
    t = await startTestServer(driver, [casesPlugin], { dataDir: join(work, 'source'), backup: { cron: '' } })
    await createUser(t.server, { username: 'u1', roles: ['staff'] })
    const token = await login(t, 'u1')
    expect((await upload(t, [{ bytes: pdfBytes(5000, 9), name: 'x.pdf' }], { token })).status).toBe(201)
    await t.api('POST', '/api/cases', { title: 'a' }, bearer(token))
    manifest = await createBackup({
      db: t.server.db,
      root: join(work, 'backups'),
      filesDir: t.server.files.config.dir,
      kind: 'command',
      appVersion: 'test'
    })
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await rm(work, { recursive: true, force: true })
  })

  /** Restore options over a fresh target; `opened` says whether the target was touched. */
  async function attempt(name: string, over: Partial<RestoreOptions> = {}) {
    const dir = join(work, name)
    const target = await emptyTarget(driver, dir)
    const state = { opened: false }
    const options: RestoreOptions = {
      source: over.source ?? backupDir(),
      openTarget: async () => {
        state.opened = true
        return target.open()
      },
      filesDir: join(dir, 'files'),
      masterKeyFingerprint: manifest.masterKeys[0],
      prepareSchema: (db) =>
        prepareWorkspaceSchema(db, { dataDir: dir, crypto: { masterKeyFile: MASTER } }, [casesPlugin]),
      ...over
    }
    return { options, state, target, dir }
  }

  it('refuses a backup whose table part was altered, naming it, before touching the target', async () => {
    const part = manifest.tables.find((x) => x.table === 'c_cases')!.part
    const original = await readFile(join(backupDir(), part))
    await appendFile(join(backupDir(), part), Buffer.from([0]))
    try {
      const { options, state, target } = await attempt('tamper-table')
      const error = await restoreBackup(options).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BackupInvalidError)
      expect((error as Error).message).toContain(`${part}: sha256 differs`)
      expect(state.opened).toBe(false)
      await target.drop()
    } finally {
      await writeFile(join(backupDir(), part), original)
    }
  })

  it('refuses a backup whose file content was altered', async () => {
    expect(manifest.files.count).toBe(1)
    const { backupFileEntries } = await import('../../src/backup/files-copy.js')
    const [entry] = (await backupFileEntries(backupDir()).next()).value!
    const blob = join(backupDir(), filePath(entry.key))
    const original = await readFile(blob)
    // Replace, not edit in place: the blob may be a hard link shared with the store.
    await rm(blob)
    await writeFile(
      blob,
      Buffer.concat([original.subarray(0, 100), Buffer.from('x'), original.subarray(101)])
    )
    try {
      const { options, state, target } = await attempt('tamper-file')
      const error = await restoreBackup(options).catch((e: unknown) => e)
      expect((error as Error).message).toContain(`${filePath(entry.key)}: content differs`)
      expect(state.opened).toBe(false)
      await target.drop()
    } finally {
      await rm(blob)
      await writeFile(blob, original)
    }
  })

  it('refuses without the master key the data keys were wrapped with', async () => {
    const { options, state, target } = await attempt('no-key', { masterKeyFingerprint: null })
    await expect(restoreBackup(options)).rejects.toThrow(/master key/)
    const other = await attempt('other-key', { masterKeyFingerprint: 'f'.repeat(32) })
    await expect(restoreBackup(other.options)).rejects.toThrow(RestoreRefusedError)
    expect(state.opened || other.state.opened).toBe(false)
    await target.drop()
    await other.target.drop()
  })

  it('refuses a backup made by another version (different migrations)', async () => {
    const path = join(backupDir(), MANIFEST)
    const original = await readFile(path, 'utf8')
    await writeFile(
      path,
      JSON.stringify({
        ...manifest,
        migrations: [...manifest.migrations, 'core/29990101000000-from-the-future']
      })
    )
    try {
      const { options, target } = await attempt('newer')
      await expect(restoreBackup(options)).rejects.toThrow(
        /only in the backup: core\/29990101000000-from-the-future/
      )
      await target.drop()
    } finally {
      await writeFile(path, original)
    }
  })

  it('refuses a non-empty files folder without --force', async () => {
    const { options, target, dir } = await attempt('files-busy')
    await writeFile(join(work, 'blob'), 'x')
    const { LocalStorageDriver } = await import('../../src/files/local-driver.js')
    await new LocalStorageDriver(join(dir, 'files')).put(
      'a'.repeat(64),
      (await import('node:fs')).createReadStream(join(work, 'blob'))
    )
    await expect(restoreBackup(options)).rejects.toThrow(/files folder is not empty/)
    await target.drop()
  })

  if (driver === 'pglite') {
    it('refuses a data folder a running server holds (its lock), and changes nothing', async () => {
      const { options, dir } = await attempt('locked')
      const holder: Db = await openPglite(join(dir, 'db'))
      try {
        const error = await restoreBackup(options).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(DataDirLockedError)
        expect((error as Error).message).toMatch(/is in use by another MedAffairs process/)
        expect(
          (await holder.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]
            .n
        ).toBe(0)
      } finally {
        await holder.close()
      }
    })
  } else {
    it('refuses a database in use or not empty unless --force, which replaces it', async () => {
      const { options, target } = await attempt('busy')
      const db = await target.open()
      await db.query('CREATE TABLE junk (x int)')
      await db.close()
      const other = new pg.Client({ connectionString: target.url, application_name: 'medaffairs-other' })
      await other.connect()
      try {
        await expect(restoreBackup(options)).rejects.toThrow(
          /in use by 1 other connection\(s\): medaffairs-other/
        )
      } finally {
        await other.end()
      }
      await expect(restoreBackup(options)).rejects.toThrow(/not empty: 1 tables/)
      const summary = await restoreBackup({ ...options, force: true })
      expect(summary.load.rows).toBe(manifest.tables.reduce((s, x) => s + x.rows, 0))
      const check = await target.open()
      expect((await check.query(`SELECT to_regclass('junk') AS t`)).rows[0].t).toBeNull()
      expect((await check.query('SELECT count(*)::int AS n FROM c_cases')).rows[0].n).toBe(1)
      await check.close()
      await target.drop()
    }, 120_000)
  }
})
