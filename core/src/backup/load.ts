import { join } from 'node:path'
import type { Db, Queryable } from '@medaffairs/plugin-sdk'
import type { Manifest, TablePart } from './format.js'
import { readPart } from './parts.js'
import {
  columnMismatch,
  createIndex,
  createTableFrom,
  ensureIndexes,
  listTables,
  quoteIdent,
  readTableSchema
} from './schema.js'

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestoreRefusedError'
  }
}

export interface LoadReport {
  tables: number
  rows: number
  /** Tables made from the backup's description (collections defined in the form designer). */
  createdTables: string[]
  createdIndexes: number
}

/** Tables the backup needs made, after checking that the others take its rows as they are. */
async function planTables(tx: Queryable, manifest: Manifest): Promise<TablePart[]> {
  const existing = new Set(await listTables(tx))
  const problems: string[] = []
  for (const t of manifest.tables.filter((t) => existing.has(t.table))) {
    const mismatch = columnMismatch(t.schema, await readTableSchema(tx, t.table))
    if (mismatch) problems.push(`${t.table}: ${mismatch}`)
  }
  if (problems.length)
    throw new RestoreRefusedError(
      `备份的表结构与本版本不符 (the backup's tables differ from this version's):\n  ${problems.join('\n  ')}`
    )
  return manifest.tables.filter((t) => !existing.has(t.table))
}

/** Inserts one table's rows in batches: the JSON each row was saved as, parsed by PostgreSQL itself. */
async function loadTable(
  tx: Queryable,
  dir: string,
  t: TablePart,
  onRows: (n: number) => void
): Promise<number> {
  const table = quoteIdent(t.table)
  const cols = t.schema.columns.map((c) => quoteIdent(c.name)).join(', ')
  const sql = `INSERT INTO ${table} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`
  let loaded = 0
  for await (const lines of readPart(join(dir, t.part))) {
    const result = await tx.query(sql, [`[${lines.join(',')}]`])
    loaded += result.rowCount
    onRows(lines.length)
  }
  return loaded
}

/**
 * Runs `fn` with the table's stand-alone indexes dropped, then builds them again: one build
 * per index after the load is several times faster than maintaining them row by row.
 */
async function withoutIndexes<T>(tx: Queryable, table: string, fn: () => Promise<T>): Promise<T> {
  const { indexes } = await readTableSchema(tx, table)
  for (const index of indexes) await tx.query(`DROP INDEX ${quoteIdent(index.name)}`)
  const result = await fn()
  for (const index of indexes) await createIndex(tx, index)
  return result
}

async function setSequences(tx: Queryable, manifest: Manifest): Promise<void> {
  for (const s of manifest.sequences) {
    if (s.value === null) continue
    await tx.query('SELECT setval($1::regclass, $2)', [quoteIdent(s.name), s.value])
  }
}

/**
 * Replaces every table the backup holds with its rows, in one transaction: either the whole
 * workspace is restored or nothing changes. Row counts are checked before it commits.
 */
export async function loadTables(
  db: Db,
  dir: string,
  manifest: Manifest,
  progress: (done: number, total: number) => void
): Promise<LoadReport> {
  const total = manifest.tables.reduce((sum, t) => sum + t.rows, 0)
  return db.transaction(async (tx) => {
    const missing = await planTables(tx, manifest)
    for (const t of missing) await createTableFrom(tx, t.table, t.schema)
    // TRUNCATE fires no row triggers: the audit trail's append-only guard stays in place.
    if (manifest.tables.length)
      await tx.query(`TRUNCATE ${manifest.tables.map((t) => quoteIdent(t.table)).join(', ')}`)
    let done = 0
    let createdIndexes = 0
    for (const t of manifest.tables) {
      const loaded = await withoutIndexes(tx, t.table, () =>
        loadTable(tx, dir, t, (n) => progress((done += n), total))
      )
      if (loaded !== t.rows) throw new Error(`${t.table}: loaded ${loaded} rows, the backup has ${t.rows}`)
      createdIndexes += await ensureIndexes(tx, t.table, t.schema)
    }
    await setSequences(tx, manifest)
    return {
      tables: manifest.tables.length,
      rows: done,
      createdTables: missing.map((t) => t.table),
      createdIndexes
    }
  })
}
