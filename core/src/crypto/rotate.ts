import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '@medaffairs/plugin-sdk'
import type { Codec } from './codec.js'
import type { FieldCrypto } from './field-crypto.js'
import type { MasterKey } from './master-key.js'
import { collectionTables, sweepTable, versionPattern, type SweepResult } from './reencrypt.js'

export interface RotateOptions {
  /** Create a new data key version (default). Without: only finish re-encryption and retire. */
  newKey?: boolean
  batchSize?: number
  /**
   * How long after the new version became active to keep sweeping: servers switch to it
   * within their refresh interval (5 s), and a write they began with the old key before that
   * must still be caught. Default 12 s.
   */
  settleMs?: number
  /** Give up after this many passes (rows that keep failing or keep changing). Default 20. */
  maxPasses?: number
  /** Codecs of the collections whose definitions are known: their clear values are sealed too. */
  codecs?: readonly Codec[]
  onProgress?(p: { table: string; pass: number; done: number; total: number }): void
  /** Test seam, see SweepOptions. */
  beforeUpdate?(table: string, ids: string[]): Promise<void>
}

export interface RotateReport {
  target: number
  created: boolean
  passes: number
  updated: number
  skipped: number
  retired: number[]
  /** Versions still found in rows after the last pass (not retired), with their row counts. */
  remaining: Record<number, number>
  failures: Array<{ table: string; id: string; error: string }>
}

/** Rows per table that still hold each version, counted over all rows (recycle bin included). */
async function usage(
  db: Db,
  tables: readonly string[],
  versions: readonly number[]
): Promise<Record<number, number>> {
  const out: Record<number, number> = {}
  for (const v of versions) {
    let n = 0
    for (const t of tables) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${t} WHERE doc::text LIKE $1`,
        [versionPattern(v)]
      )
      n += Number(rows[0].n)
    }
    out[v] = n
  }
  return out
}

/** One pass over every collection table. */
async function pass(
  db: Db,
  crypto: FieldCrypto,
  n: number,
  target: number,
  tables: readonly string[],
  o: RotateOptions
) {
  const old = crypto.ring.versions().filter((v) => v !== target)
  const codecs = new Map((o.codecs ?? []).map((c) => [`c_${c.collection}`, c]))
  const total: SweepResult = { found: 0, updated: 0, skipped: 0, failures: [] }
  const failures: RotateReport['failures'] = []
  for (const table of tables) {
    const r = await sweepTable(db, crypto, table, {
      target,
      old,
      batchSize: o.batchSize ?? 500,
      codec: codecs.get(table),
      onBatch: (done, all) => o.onProgress?.({ table, pass: n, done, total: all }),
      beforeUpdate: o.beforeUpdate
    })
    total.found += r.found
    total.updated += r.updated
    total.skipped += r.skipped
    failures.push(...r.failures.map((f) => ({ table, ...f })))
  }
  return { ...total, failures }
}

/**
 * Rotates the data key without downtime: a new version becomes active at once (this process
 * now, running servers within their refresh interval), every row is re-encrypted under it in
 * passes until a pass after the settle time finds nothing left, and each older version that
 * no row uses any more is retired. An interrupted rotation is resumed by running it again.
 */
export async function rotateDataKeys(
  db: Db,
  crypto: FieldCrypto,
  o: RotateOptions = {}
): Promise<RotateReport> {
  const { target, created } = await crypto.ring.beginRotation(o.newKey ?? true)
  const activeSince = Date.now()
  const settleMs = created ? (o.settleMs ?? 12_000) : 0
  const tables = await collectionTables(db)
  const report: RotateReport = {
    target,
    created,
    passes: 0,
    updated: 0,
    skipped: 0,
    retired: [],
    remaining: {},
    failures: []
  }
  const maxPasses = o.maxPasses ?? 20
  while (report.passes < maxPasses) {
    const r = await pass(db, crypto, ++report.passes, target, tables, o)
    report.updated += r.updated
    report.skipped += r.skipped
    report.failures = r.failures
    const wait = settleMs - (Date.now() - activeSince)
    // Done when nothing fixable was left, and late writers under the old key have had their chance.
    if (wait <= 0 && r.found === r.failures.length) break
    await sleep(Math.max(wait, r.skipped ? 50 : 0))
  }
  const old = crypto.ring.versions().filter((v) => v !== target && !crypto.ring.retired.has(v))
  report.remaining = await usage(db, tables, old)
  report.retired = old.filter((v) => report.remaining[v] === 0)
  for (const v of report.retired) delete report.remaining[v]
  await crypto.ring.retire(report.retired)
  return report
}

/**
 * Re-wraps every data key and the blind-index key under a new master key. Nothing else
 * changes; running servers keep their unwrapped keys, and read the new key file when they next
 * meet a key wrapped by it. Backups taken before still need the old master key.
 */
export async function rewrapMasterKey(crypto: FieldCrypto, next: MasterKey): Promise<number> {
  if (next.fingerprint === crypto.ring.master.fingerprint)
    throw new Error('the new master key is the current one')
  return crypto.ring.rewrap(next)
}
