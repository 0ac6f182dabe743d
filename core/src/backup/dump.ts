import { AsyncLocalStorage } from 'node:async_hooks'
import { join } from 'node:path'
import type { Db, Queryable } from '@medaffairs/plugin-sdk'
import { tablePart, type Manifest, type TablePart } from './format.js'
import { PartWriter } from './parts.js'
import { listTables, quoteIdent, readSequences, readTableSchema } from './schema.js'

export type Progress = (done: number, total: number, message: string) => Promise<void> | void

export interface Snapshot {
  tables: TablePart[]
  sequences: Manifest['sequences']
  migrations: string[]
  masterKeys: string[]
  rows: number
}

const FETCH = 2000

/** Rows, estimated from the planner's statistics: only to size the progress bar. */
async function estimateRows(tx: Queryable, tables: string[]): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ name: string; n: number }>(
    `SELECT c.relname AS name, greatest(c.reltuples, 0)::float8 AS n FROM pg_class c
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname = ANY($1::text[])`,
    [tables]
  )
  return new Map(rows.map((r) => [r.name, Number(r.n)]))
}

/** Streams one table through a cursor into its part; returns the part's record. */
async function dumpTable(
  tx: Queryable,
  dir: string,
  table: string,
  onRows: (n: number) => void,
  signal?: AbortSignal
): Promise<TablePart> {
  const schema = await readTableSchema(tx, table)
  const part = tablePart(table)
  const writer = await PartWriter.open(join(dir, part))
  try {
    // row_to_json keeps every column as PostgreSQL prints it (timestamps to the microsecond,
    // numerics exact, bytea as hex); the restore parses it back with jsonb_populate_recordset.
    await tx.query(
      `DECLARE backup_rows NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${quoteIdent(table)} t`
    )
    for (;;) {
      signal?.throwIfAborted()
      const { rows } = await tx.query<{ j: string }>(`FETCH ${FETCH} FROM backup_rows`)
      if (!rows.length) break
      await writer.write(rows.map((r) => r.j))
      onRows(rows.length)
    }
    await tx.query('CLOSE backup_rows')
  } catch (error) {
    await writer.abort()
    throw error
  }
  const { lines, bytes, sha256 } = await writer.close()
  return { table, part, rows: lines, bytes, sha256, schema }
}

async function readMigrations(tx: Queryable, tables: string[]): Promise<string[]> {
  // A database no server has started on yet has no migrations (and nothing else) to save.
  if (!tables.includes('_migrations')) return []
  const { rows } = await tx.query<{ m: string }>(
    `SELECT scope || '/' || id AS m FROM _migrations ORDER BY scope, id`
  )
  return rows.map((r) => r.m)
}

async function readMasterKeys(tx: Queryable, tables: string[]): Promise<string[]> {
  if (!tables.includes('_data_keys')) return []
  const { rows } = await tx.query<{ fp: string }>(
    'SELECT DISTINCT master_fp AS fp FROM _data_keys ORDER BY 1'
  )
  return rows.map((r) => r.fp)
}

/**
 * Every table of the workspace, as of one moment. On the PostgreSQL server this is one
 * REPEATABLE READ, READ ONLY transaction: the server keeps serving, and every table is seen
 * as of the transaction's first read. PGlite has one connection: the transaction holds it, so
 * requests wait until the tables are written (files are copied after, outside it).
 */
export async function dumpTables(
  db: Db,
  dir: string,
  progress: Progress,
  signal?: AbortSignal
): Promise<Snapshot> {
  // Progress is saved through the database: from inside the read-only snapshot it would join
  // it (and fail), and on PGlite it would wait for it. It is sent from outside and not awaited.
  const outside = AsyncLocalStorage.snapshot()
  const report: Progress = (done, total, message) => {
    void outside(() => Promise.resolve(progress(done, total, message)).catch(() => undefined))
  }
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    const names = await listTables(tx)
    const estimate = await estimateRows(tx, names)
    const total = Math.max(
      1,
      [...estimate.values()].reduce((a, b) => a + b, 0)
    )
    let done = 0
    const tables: TablePart[] = []
    for (const table of names) {
      tables.push(
        await dumpTable(
          tx,
          dir,
          table,
          (n) => {
            done += n
            void report(Math.min(done, total), total, table)
          },
          signal
        )
      )
    }
    return {
      tables,
      sequences: await readSequences(tx),
      migrations: await readMigrations(tx, names),
      masterKeys: await readMasterKeys(tx, names),
      rows: done
    }
  })
}
