import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto'
import type { Db, Queryable } from '@medaffairs/plugin-sdk'
import { DecryptionError, MasterKeyError } from './errors.js'
import { aadOf, blindHash, decryptJson, encryptJson, KEY_BYTES, TagMismatch } from './format.js'
import { ensureKeyTable, insertKey, KeyRing, LOCK_SQL, readKeyRows, type Log } from './key-ring.js'
import {
  describeSource,
  MasterKey,
  masterKeySource,
  readMasterKey,
  writeMasterKeyFile,
  type MasterKeySettings,
  type MasterKeySource
} from './master-key.js'

export interface CryptoLogger {
  info(msg: string): void
  warn(msg: string): void
  error(msg: string): void
}

export interface FieldCryptoOptions extends MasterKeySettings {
  logger?: CryptoLogger
  /**
   * How often a running server looks for a new active data key (after `rotate-keys`), in ms;
   * default 5000, 0 = never (it still looks when it meets a version it does not know).
   */
  refreshMs?: number
}

/** Encrypts, decrypts and blind-indexes field values with the keys of one database. */
export class FieldCrypto {
  private timer?: NodeJS.Timeout
  private readonly keyObjects = new Map<string, KeyObject>()
  private readonly aads = new Map<string, Buffer>()

  constructor(readonly ring: KeyRing) {}

  /** The ring's key as a KeyObject, made once: a cipher on a KeyObject costs half as much. */
  private keyObject(name: string, raw: Buffer | undefined): KeyObject | undefined {
    let key = this.keyObjects.get(name)
    if (!key && raw) this.keyObjects.set(name, (key = createSecretKey(raw)))
    return key
  }

  private aad(collection: string, field: string): Buffer {
    const name = `${collection}|${field}`
    let aad = this.aads.get(name)
    if (!aad) {
      // Undeclared fields come from clients: bound the cache rather than trust their number.
      if (this.aads.size >= 1000) this.aads.clear()
      this.aads.set(name, (aad = aadOf(collection, field)))
    }
    return aad
  }

  get activeVersion(): number {
    return this.ring.active
  }

  encrypt(collection: string, field: string, value: unknown): string {
    const version = this.ring.active
    return encryptJson(
      this.keyObject(`v${version}`, this.ring.dataKey(version))!,
      version,
      value,
      this.aad(collection, field)
    )
  }

  /** Synchronous: call `ensureVersions` first for values that may use a new key version. */
  decrypt(collection: string, field: string, text: string, version: number, id?: unknown): unknown {
    const key = this.keyObject(`v${version}`, this.ring.dataKey(version))
    if (!key)
      throw new DecryptionError(
        { collection, field, id, reason: 'unknown-version' },
        `no data key v${version}`
      )
    try {
      return decryptJson(key, text, this.aad(collection, field))
    } catch (error) {
      if (!(error instanceof TagMismatch)) throw error
      throw new DecryptionError(
        { collection, field, id, reason: 'tampered' },
        `${error.message}: the value was altered, moved from another field, or written with another key`
      )
    }
  }

  blindIndex(collection: string, field: string, normalized: string): string {
    return blindHash(this.keyObject('index', this.ring.indexKey)!, collection, field, normalized)
  }

  /** A version this process does not hold yet was written by a newer key: read the table again. */
  async ensureVersions(versions: Iterable<number>): Promise<void> {
    for (const v of versions) {
      if (!this.ring.dataKey(v)) return this.ring.refresh()
    }
  }

  refresh(): Promise<void> {
    return this.ring.refresh()
  }

  /** Polls for a new active version; the timer does not keep the process alive. */
  startRefresh(ms: number, log: Log): void {
    if (ms <= 0 || this.timer) return
    this.timer = setInterval(() => {
      this.ring
        .refresh()
        .catch((error: unknown) => log('warn', `key refresh failed: ${(error as Error).message}`))
    }, ms)
    this.timer.unref()
  }

  /** Stops polling; call before closing the database. */
  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}

/** Any stored ciphertext at all, in any collection table (`c_*`)? */
export async function hasEncryptedData(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ t: string }>(
    `SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'c\\_%'`
  )
  for (const { t } of rows) {
    const hit = await db.query(`SELECT 1 FROM ${t} WHERE doc::text LIKE '%"enc:v%' LIMIT 1`)
    if (hit.rows.length) return true
  }
  return false
}

function missing(source: MasterKeySource): MasterKeyError {
  const where = describeSource(source)
  return new MasterKeyError(
    'missing',
    `无法启动：数据库中已有加密数据密钥，但找不到主密钥（查找位置：${where}）。请提供原来的主密钥；不要生成新的主密钥，否则已加密的数据将无法读取。`,
    `Cannot start: the database holds encrypted data keys but the master key was not found (looked for: ${where}). Provide the original master key; a new one cannot read the encrypted data.`
  )
}

const orphaned = () =>
  new MasterKeyError(
    'orphaned-data',
    '无法启动：数据库中有加密数据，但数据密钥表 _data_keys 不存在或为空。请从备份恢复 _data_keys 表；系统不会生成新密钥。',
    'Cannot start: the database holds encrypted values but the key table _data_keys is missing or empty. Restore _data_keys from a backup; no new keys are generated over existing ciphertext.'
  )

/** A new installation: a master key (generated unless one is given) and the first keys. */
async function install(
  tx: Queryable,
  source: MasterKeySource,
  given: MasterKey | undefined,
  log: Log
): Promise<MasterKey> {
  if (await hasEncryptedData(tx)) throw orphaned()
  let master = given
  if (!master) {
    if (source.kind !== 'file') throw missing(source)
    master = writeMasterKeyFile(source.path, MasterKey.generate(source.path))
    log(
      'warn',
      `已生成新的主密钥 ${source.path}（权限 0600）。请立即将其备份到安全的离线位置：丢失后加密数据将无法恢复。` +
        ` / A NEW MASTER KEY was generated at ${source.path} (mode 0600). BACK IT UP NOW to a safe offline place: without it the encrypted data cannot be recovered.`
    )
  }
  await ensureKeyTable(tx)
  await insertKey(tx, master, 'index', 1, randomBytes(KEY_BYTES))
  await insertKey(tx, master, 'data', 1, randomBytes(KEY_BYTES))
  return master
}

/**
 * Loads (or, on a new installation, creates) the keys. Stops with a MasterKeyError when data
 * keys exist but the master key is missing or wrong. Run after the core migrations and before
 * anything writes records; close() the result before closing the database.
 */
export async function openFieldCrypto(db: Db, options: FieldCryptoOptions): Promise<FieldCrypto> {
  const logger = options.logger
  const log: Log = (level, msg) => logger?.[level](msg)
  const source = masterKeySource(options)
  const ring = await db.transaction(async (tx) => {
    // One instance at a time: two first starts of a cluster must not create two key sets.
    await tx.query(LOCK_SQL)
    let rows = await readKeyRows(tx)
    let master = readMasterKey(source, (msg) => log('warn', msg))
    if (!rows.length) {
      master = await install(tx, source, master, log)
      rows = await readKeyRows(tx)
    } else if (!master) throw missing(source)
    const ring = new KeyRing(db, master, source, log)
    ring.apply(rows, true)
    if (!ring.active || !rows.some((r) => r.purpose === 'index'))
      throw new Error('_data_keys lacks a data key or the blind-index key')
    return ring
  })
  const crypto = new FieldCrypto(ring)
  // Created outside the transaction: a timer keeps the async context it was created in.
  crypto.startRefresh(options.refreshMs ?? 5000, log)
  return crypto
}
