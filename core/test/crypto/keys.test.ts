import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MasterKey,
  MasterKeyError,
  openFieldCrypto,
  readMasterKey,
  rewrapMasterKey
} from '../../src/crypto/index.js'
import { ensureCollectionTable } from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import { captureLog, envKeyOptions, failure, PEOPLE, peopleApp, tempDir, testMasterPem } from './support.js'

describe.each(DRIVERS)('master and data keys on %s', (driver) => {
  let t: TestDb
  let tmp: ReturnType<typeof tempDir>
  beforeAll(async () => {
    tmp = tempDir()
  })
  afterAll(() => tmp.remove())

  const fresh = async () => {
    t = await createTestDb(driver)
    return t
  }

  it('generates a 0600 key file on a new installation, says so loudly, and reuses it after', async () => {
    const { db } = await fresh()
    const log = captureLog()
    const dataDir = join(tmp.dir, `${driver}-new`)
    const crypto = await openFieldCrypto(db, { dataDir, env: {}, refreshMs: 0, logger: log.logger })
    const file = join(dataDir, 'keys', 'master.pem')
    expect(existsSync(file)).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700)
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(readMasterKey({ kind: 'file', path: file, setting: 'x' })!.fingerprint).toBe(
      crypto.ring.master.fingerprint
    )
    const warning = log.lines.find((l) => l.level === 'warn')!.msg
    expect(warning).toContain(file)
    expect(warning).toMatch(/BACK IT UP/)
    expect(warning).toMatch(/备份/)
    const rows = (
      await db.query(`SELECT purpose, version, master_fp, retired_at FROM _data_keys ORDER BY purpose`)
    ).rows
    expect(rows).toEqual([
      { purpose: 'data', version: 1, master_fp: crypto.ring.master.fingerprint, retired_at: null },
      { purpose: 'index', version: 1, master_fp: crypto.ring.master.fingerprint, retired_at: null }
    ])
    expect(JSON.stringify((await db.query(`SELECT * FROM _data_keys`)).rows)).not.toContain(
      crypto.ring.dataKey(1)!.toString('base64')
    )
    crypto.close()
    // Second start: same key file, same keys, no new key and no warning.
    const again = captureLog()
    const second = await openFieldCrypto(db, { dataDir, env: {}, refreshMs: 0, logger: again.logger })
    expect(second.ring.dataKey(1)!.equals(crypto.ring.dataKey(1)!)).toBe(true)
    expect(again.lines).toEqual([])
    second.close()
  })

  it('refuses to start when data keys exist but the master key is missing, naming the settings', async () => {
    const { db } = t
    const e = await failure(
      openFieldCrypto(db, { dataDir: join(tmp.dir, `${driver}-elsewhere`), env: {}, refreshMs: 0 })
    )
    expect(e).toBeInstanceOf(MasterKeyError)
    expect(e.reason).toBe('missing')
    expect(e.message).toMatch(/找不到主密钥/)
    expect(e.message).toMatch(/master key was not found/)
    expect(e.message).toContain('MEDAFFAIRS_MASTER_KEY_FILE')
    expect(e.message).toContain('crypto.masterKeyFile')
    expect(existsSync(join(tmp.dir, `${driver}-elsewhere`, 'keys', 'master.pem'))).toBe(false)
    const viaEnv = await failure(
      openFieldCrypto(db, {
        dataDir: '/x',
        env: { MEDAFFAIRS_MASTER_KEY_FILE: join(tmp.dir, 'nope.pem') },
        refreshMs: 0
      })
    )
    expect(viaEnv.message).toContain(join(tmp.dir, 'nope.pem'))
  })

  it('refuses a wrong master key with both fingerprints, and an unusable one', async () => {
    const wrong = await failure(openFieldCrypto(t.db, envKeyOptions()))
    expect(wrong).toBeInstanceOf(MasterKeyError)
    expect(wrong.reason).toBe('mismatch')
    expect(wrong.message).toMatch(/不匹配/)
    expect(wrong.message).toMatch(/does not match the data keys/)
    const pub = MasterKey.generate('x', 2048)
    const publicOnly = (await import('node-rsa')).default
    const pem = new publicOnly(pub.toPem()).exportKey('pkcs8-public-pem')
    const invalid = await failure(
      openFieldCrypto(t.db, { dataDir: '/x', env: { MEDAFFAIRS_MASTER_KEY: pem }, refreshMs: 0 })
    )
    expect(invalid.reason).toBe('invalid')
    expect(invalid.message).toMatch(/private key is needed/)
    await t.drop()
  })

  it('accepts the key from MEDAFFAIRS_MASTER_KEY, with escaped line breaks too', async () => {
    const { db } = await fresh()
    const one = await openFieldCrypto(db, envKeyOptions())
    one.close()
    const escaped = testMasterPem().replace(/\n/g, '\\n')
    const two = await openFieldCrypto(db, {
      dataDir: '/x',
      env: { MEDAFFAIRS_MASTER_KEY: escaped },
      refreshMs: 0
    })
    expect(two.ring.dataKey(1)!.equals(one.ring.dataKey(1)!)).toBe(true)
    two.close()
    await t.drop()
  })

  it('never generates keys over existing ciphertext whose key table is gone', async () => {
    const { db } = await fresh()
    const crypto = await openFieldCrypto(db, envKeyOptions())
    const app = await peopleApp(db, crypto)
    await app.service('people').create({ name: 'a', idNumber: '110101199003070017' })
    crypto.close()
    await db.query('DROP TABLE _data_keys')
    const e = await failure(
      openFieldCrypto(db, { dataDir: join(tmp.dir, `${driver}-orphan`), env: {}, refreshMs: 0 })
    )
    expect(e.reason).toBe('orphaned-data')
    expect(e.message).toMatch(/_data_keys/)
    expect(existsSync(join(tmp.dir, `${driver}-orphan`, 'keys'))).toBe(false)
    await t.drop()
  })

  it('re-wraps the keys under a new master key; the old one then no longer opens', async () => {
    const { db } = await fresh()
    await ensureCollectionTable(db, PEOPLE)
    const crypto = await openFieldCrypto(db, envKeyOptions())
    const app = await peopleApp(db, crypto)
    const rec = await app
      .service('people')
      .create({ name: 'a', idNumber: '110101199003070017', family: [{ name: '李四' }] })
    const before = (await db.query<{ doc: unknown }>('SELECT doc FROM c_people')).rows[0].doc
    const next = MasterKey.generate('next', 2048)
    expect(await rewrapMasterKey(crypto, next)).toBe(2)
    expect((await db.query<{ doc: unknown }>('SELECT doc FROM c_people')).rows[0].doc).toEqual(before)
    crypto.close()
    const file = join(tmp.dir, `${driver}-next.pem`)
    writeFileSync(file, next.toPem(), { mode: 0o600 })
    const reopened = await openFieldCrypto(db, {
      dataDir: '/x',
      env: { MEDAFFAIRS_MASTER_KEY_FILE: file },
      refreshMs: 0
    })
    const app2 = await peopleApp(db, reopened)
    expect(await app2.service('people').get(rec.id)).toMatchObject({
      idNumber: '110101199003070017',
      family: [{ name: '李四' }]
    })
    expect((await failure(openFieldCrypto(db, envKeyOptions()))).reason).toBe('mismatch')
    await expect(rewrapMasterKey(reopened, next)).rejects.toThrow(/current one/)
    reopened.close()
    await t.drop()
  })
})
