import { setImmediate as yieldToEvents } from 'node:timers/promises'
import type { Db, Queryable } from '@medaffairs/plugin-sdk'
import { isPlainObject, SqlParams } from '../storage/values.js'
import { blindIndexValue, type Codec } from './codec.js'
import type { FieldCrypto } from './field-crypto.js'
import { versionOf } from './format.js'

/**
 * Re-encryption of one collection table, in batches, while the servers keep writing to it.
 * Rows are picked by keyset on id; each batch is ONE UPDATE (so its own transaction) that
 * writes a row only if its `rev` and its document are still those that were read: a row a
 * user changed meanwhile is skipped and picked up by the next pass, so no edit is lost.
 * `rev` and `updated_at` are not touched: the clear content does not change, and bumping the
 * revision would turn a user's open form into a false edit conflict.
 */

type Doc = Record<string, unknown>

export interface SweepOptions {
  /** The data key version everything should end up under. */
  target: number
  /** Every other version whose ciphertext is to be replaced. */
  old: readonly number[]
  batchSize: number
  /** The collection's codec when its definition is known: clear values are then sealed too. */
  codec?: Codec
  onBatch?(done: number, total: number): void
  /** Test seam: runs between reading a batch and writing it. */
  beforeUpdate?(table: string, ids: string[]): Promise<void>
}

export interface SweepResult {
  found: number
  updated: number
  /** Changed by someone else between read and write; left for the next pass. */
  skipped: number
  failures: Array<{ id: string; error: string }>
}

export async function collectionTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'c\\_%' ORDER BY 1`
  )
  return rows.map((r) => r.t)
}

export const versionPattern = (v: number) => `%"enc:v${v}:%`

/** Which rows need work: ciphertext of an old version, or (known definition) a clear value or a missing blind index. */
function needsWork(o: SweepOptions, p: SqlParams): string {
  const parts = o.old.length ? [`doc::text LIKE ANY(${p.add(o.old.map(versionPattern))}::text[])`] : []
  for (const f of o.codec?.fields ?? []) {
    const at = `doc #> ${p.add(f.path)}::text[]`
    const clear = `(jsonb_typeof(${at}) <> 'string' OR (doc #>> ${p.add(f.path)}::text[]) NOT LIKE 'enc:v%')`
    const noIndex = f.bidx ? ` OR doc #> ${p.add(f.bidx.path)}::text[] IS NULL` : ''
    parts.push(`(jsonb_typeof(${at}) IS NOT NULL AND jsonb_typeof(${at}) <> 'null' AND (${clear}${noIndex}))`)
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'false'
}

/** Replaces old-version ciphertext anywhere in the document (the field is its path). */
function reencryptTree(
  crypto: FieldCrypto,
  collection: string,
  node: Doc,
  path: string[],
  target: number
): boolean {
  let changed = false
  for (const [key, value] of Object.entries(node)) {
    if (isPlainObject(value)) {
      if (reencryptTree(crypto, collection, value, [...path, key], target)) changed = true
      continue
    }
    const version = versionOf(value)
    if (version === undefined || version === target) continue
    const field = [...path, key].join('.')
    node[key] = crypto.encrypt(collection, field, crypto.decrypt(collection, field, value as string, version))
    changed = true
  }
  return changed
}

/** Seals clear values of sensitive fields and fills missing blind indexes. */
function sealSensitive(crypto: FieldCrypto, codec: Codec, doc: Doc): boolean {
  let changed = false
  for (const f of codec.fields) {
    let parent: unknown = doc
    for (const s of f.path.slice(0, -1)) parent = isPlainObject(parent) ? parent[s] : undefined
    if (!isPlainObject(parent)) continue
    const key = f.path[f.path.length - 1]
    const value = parent[key]
    if (value === undefined || value === null) continue
    const version = versionOf(value)
    const clear =
      version === undefined ? value : crypto.decrypt(codec.collection, f.name, value as string, version)
    const bkey = f.bidx?.path[f.bidx.path.length - 1]
    if (bkey && (version === undefined || parent[bkey] === undefined || parent[bkey] === null)) {
      parent[bkey] = blindIndexValue(codec, crypto, f, clear)
      changed = true
    }
    if (version === undefined) {
      parent[key] = crypto.encrypt(codec.collection, f.name, clear)
      changed = true
    }
  }
  return changed
}

interface Row {
  id: string
  rev: number
  doc: Doc | string
  h: string
}

/** Sweeps one table once from the start. */
export async function sweepTable(
  db: Db,
  crypto: FieldCrypto,
  table: string,
  o: SweepOptions
): Promise<SweepResult> {
  const collection = table.slice(2)
  const counted = new SqlParams()
  const total = Number(
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE ${needsWork(o, counted)}`,
        counted.values
      )
    ).rows[0].n
  )
  const result: SweepResult = { found: 0, updated: 0, skipped: 0, failures: [] }
  let last = ''
  while (total > 0) {
    const p = new SqlParams([last, o.batchSize])
    const sql = `SELECT id, rev, doc, md5(doc::text) AS h FROM ${table} WHERE id > $1 AND ${needsWork(o, p)} ORDER BY id LIMIT $2`
    const rows = (await db.query<Row>(sql, p.values)).rows
    if (!rows.length) break
    last = rows[rows.length - 1].id
    result.found += rows.length
    const batch: Array<{ id: string; rev: number; h: string; doc: Doc }> = []
    for (const row of rows) {
      const doc = typeof row.doc === 'string' ? (JSON.parse(row.doc) as Doc) : row.doc
      try {
        const a = reencryptTree(crypto, collection, doc, [], o.target)
        const b = o.codec ? sealSensitive(crypto, o.codec, doc) : false
        if (a || b) batch.push({ id: row.id, rev: row.rev, h: row.h, doc })
      } catch (error) {
        result.failures.push({ id: row.id, error: (error as Error).message })
      }
    }
    await o.beforeUpdate?.(
      table,
      batch.map((r) => r.id)
    )
    const updated = batch.length ? await writeBatch(db, table, batch) : 0
    result.updated += updated
    result.skipped += batch.length - updated
    o.onBatch?.(result.found, total)
    // Let requests in between batches: PGlite answers in microtasks, so without this a
    // rotation inside the server process would hold off network I/O and timers until done.
    await yieldToEvents()
  }
  return result
}

async function writeBatch(db: Db, table: string, batch: object[]): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE ${table} AS t SET doc = u.doc
       FROM jsonb_to_recordset($1::jsonb) AS u(id text, rev integer, h text, doc jsonb)
      WHERE t.id = u.id AND t.rev = u.rev AND md5(t.doc::text) = u.h
      RETURNING t.id`,
    [JSON.stringify(batch)]
  )
  return rows.length
}
