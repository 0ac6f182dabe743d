import { randomBytes } from 'node:crypto'
import type { Db, Queryable } from '@medaffairs/plugin-sdk'
import { MasterKeyError } from './errors.js'
import { KEY_BYTES } from './format.js'
import { describeSource, MasterKey, readMasterKey, type MasterKeySource } from './master-key.js'

/**
 * The data keys, wrapped by the master key, in `_data_keys`. `purpose` tells the AES data keys
 * (versioned; the highest version is the active one) from the HMAC key of the blind indexes
 * (one, never rotated with the data keys: rotating it would change every blind index).
 * `master_fp` records which master key wrapped a row, so a wrong key is named, not guessed.
 */

export type Log = (level: 'info' | 'warn' | 'error', msg: string) => void

interface KeyRow {
  purpose: 'data' | 'index'
  version: number
  wrapped_key: string
  master_fp: string
  retired_at: Date | string | null
}

export const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('medaffairs:crypto-keys'))`

export async function ensureKeyTable(db: Queryable): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS _data_keys (
    purpose text NOT NULL DEFAULT 'data' CHECK (purpose IN ('data', 'index')),
    version integer NOT NULL CHECK (version > 0),
    wrapped_key text NOT NULL,
    master_fp text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_at timestamptz,
    PRIMARY KEY (purpose, version)
  )`)
}

/** The rows, or none when the table does not exist yet (a new installation). */
export async function readKeyRows(db: Queryable): Promise<KeyRow[]> {
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('_data_keys')::text AS t`)
  if (!rows[0]?.t) return []
  return (
    await db.query<KeyRow>(
      `SELECT purpose, version, wrapped_key, master_fp, retired_at FROM _data_keys ORDER BY purpose, version`
    )
  ).rows
}

export async function insertKey(
  db: Queryable,
  master: MasterKey,
  purpose: 'data' | 'index',
  version: number,
  key: Buffer
) {
  await db.query(
    `INSERT INTO _data_keys (purpose, version, wrapped_key, master_fp) VALUES ($1, $2, $3, $4)`,
    [purpose, version, master.wrap(key), master.fingerprint]
  )
}

export class KeyRing {
  private readonly data = new Map<number, Buffer>()
  private index?: Buffer
  private pending?: Promise<void>
  private readonly reported = new Set<string>()
  /** The version new values are written with: the highest this process holds. */
  active = 0
  readonly retired = new Set<number>()

  constructor(
    private readonly db: Db,
    public master: MasterKey,
    private readonly source: MasterKeySource,
    private readonly log: Log
  ) {}

  dataKey(version: number): Buffer | undefined {
    return this.data.get(version)
  }

  versions(): number[] {
    return [...this.data.keys()].sort((a, b) => a - b)
  }

  get indexKey(): Buffer {
    if (!this.index) throw new Error('the blind-index key is not loaded')
    return this.index
  }

  /**
   * Takes in rows read from the table. At start-up (`strict`) any row that cannot be unwrapped
   * stops the server; later, a new row this process cannot unwrap is reported and skipped, so
   * a running server keeps serving with the keys it has.
   */
  apply(rows: readonly KeyRow[], strict: boolean): void {
    for (const row of rows) {
      if (row.purpose === 'data' && row.retired_at) this.retired.add(row.version)
      if (row.purpose === 'index' ? this.index : this.data.has(row.version)) continue
      const key = this.tryUnwrap(row, strict)
      if (!key) continue
      if (row.purpose === 'index') this.index = key
      else this.data.set(row.version, key)
    }
    if (this.data.size) this.active = Math.max(...this.data.keys())
  }

  private tryUnwrap(row: KeyRow, strict: boolean): Buffer | undefined {
    try {
      return this.unwrap(row)
    } catch (error) {
      if (strict) throw error
      const what = `${row.purpose} v${row.version}`
      if (!this.reported.has(what)) this.log('error', `${(error as Error).message} (${what} skipped)`)
      this.reported.add(what)
      return undefined
    }
  }

  /** Unwraps one row; when another master key wrapped it, the source is read again first. */
  unwrap(row: Pick<KeyRow, 'master_fp' | 'wrapped_key' | 'purpose' | 'version'>): Buffer {
    if (row.master_fp !== this.master.fingerprint) {
      // After `rotate-keys --new-master` the operator replaces the key file: pick the new one up.
      const again = readMasterKey(this.source)
      if (!again || again.fingerprint !== row.master_fp)
        throw mismatch(this.source, this.master, row.master_fp)
      this.master = again
    }
    let key: Buffer
    try {
      key = this.master.unwrap(row.wrapped_key)
    } catch {
      throw mismatch(this.source, this.master, row.master_fp)
    }
    if (key.length !== KEY_BYTES) throw mismatch(this.source, this.master, row.master_fp)
    return key
  }

  /** Reads the table again (new versions, retirements); concurrent callers share one read. */
  refresh(): Promise<void> {
    this.pending ??= readKeyRows(this.db)
      .then((rows) => this.apply(rows, false))
      .finally(() => {
        this.pending = undefined
      })
    return this.pending
  }

  /**
   * Starts (or resumes) a rotation: when an earlier rotation left older versions unretired,
   * its target is kept; otherwise, with `newKey`, a new version is created. Under the key lock,
   * so that two operators running the command at once share one target.
   */
  async beginRotation(newKey: boolean): Promise<{ target: number; created: boolean }> {
    const result = await this.db.transaction(async (tx) => {
      await tx.query(LOCK_SQL)
      const { rows } = await tx.query<{ max: number | null; open: number }>(
        `SELECT max(version) AS max, count(*) FILTER (WHERE retired_at IS NULL)::int AS open
           FROM _data_keys WHERE purpose = 'data'`
      )
      const max = Number(rows[0].max ?? 0)
      if (!newKey || rows[0].open > 1) return { target: max, created: false }
      await insertKey(tx, this.master, 'data', max + 1, randomBytes(KEY_BYTES))
      return { target: max + 1, created: true }
    })
    await this.refresh()
    if (this.active !== result.target) throw new Error(`data key v${result.target} could not be loaded`)
    return result
  }

  /** Marks versions retired: no longer written, kept only to read old backups' exports. */
  async retire(versions: readonly number[]): Promise<void> {
    if (!versions.length) return
    await this.db.query(
      `UPDATE _data_keys SET retired_at = now()
        WHERE purpose = 'data' AND version = ANY($1::int[]) AND retired_at IS NULL
          AND version < (SELECT max(version) FROM _data_keys WHERE purpose = 'data')`,
      [versions]
    )
    await this.refresh()
  }

  /**
   * Wraps every key again under `next`, in one transaction, checking each new wrapping before
   * it is written. The data is not touched. Returns how many keys were re-wrapped.
   */
  async rewrap(next: MasterKey): Promise<number> {
    const count = await this.db.transaction(async (tx) => {
      await tx.query(LOCK_SQL)
      const rows = await readKeyRows(tx)
      for (const row of rows) {
        const key = this.unwrap(row)
        const wrapped = next.wrap(key)
        if (!next.unwrap(wrapped).equals(key))
          throw new Error(`re-wrapping ${row.purpose} v${row.version} did not verify`)
        await tx.query(
          `UPDATE _data_keys SET wrapped_key = $1, master_fp = $2 WHERE purpose = $3 AND version = $4`,
          [wrapped, next.fingerprint, row.purpose, row.version]
        )
      }
      return rows.length
    })
    this.master = next
    return count
  }
}

function mismatch(source: MasterKeySource, have: MasterKey, want: string): MasterKeyError {
  const from = describeSource(source)
  return new MasterKeyError(
    'mismatch',
    `无法启动：主密钥（${from}，指纹 ${have.fingerprint}）与数据库中的数据密钥不匹配（需要指纹 ${want}）。请提供加密这些数据时使用的主密钥。`,
    `Cannot start: the master key from ${from} (fingerprint ${have.fingerprint}) does not match the data keys in the database (they need fingerprint ${want}). Provide the master key the data was encrypted with.`
  )
}
