import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createTxContext, preparedName, type TxFrame } from './tx-context.js'
import type { Db, Queryable, QueryOptions, QueryResult } from './types.js'
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js'

/**
 * Opens the embedded database. `dataDir` undefined means in memory (tests).
 * The owner of a folder holds an exclusive lock on it: PGlite itself has none and two
 * processes on one folder would lose data silently.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  let lock: DataDirLock | undefined
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true })
    lock = acquireDataDirLock(dataDir)
  }
  let pg: PGlite
  try {
    pg = await PGlite.create(dataDir ? `${dataDir}/pgdata` : undefined, { extensions: { pg_trgm } })
  } catch (error) {
    lock?.release()
    throw error
  }
  return new PgliteDb(pg, lock)
}

function wrap(q: { query: PGlite['query'] }): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res = await q.query<R>(sql, params as unknown[] | undefined)
      return {
        rows: res.rows, // PGlite reports affectedRows 0 for a SELECT; pg counts the rows returned.
        rowCount: res.affectedRows || res.rows.length
      }
    }
  }
}

class PgliteDb implements Db {
  readonly driver = 'pglite' as const
  readonly #ctx = createTxContext()
  readonly #root: Queryable

  constructor(
    readonly pg: PGlite,
    private readonly lock?: DataDirLock
  ) {
    this.#root = wrap(pg)
  }

  query<R = Record<string, any>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const frame = this.#ctx.current()
    return (frame ? frame.tx : this.#root).query<R>(sql, params)
  }

  inTransaction(): boolean {
    return this.#ctx.current() !== undefined
  }

  // In process a plan is cheap to make again: `prepare` is ignored.
  async atCommit(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<void> {
    preparedName(options?.prepare)
    if (!this.#ctx.defer({ sql, params })) await this.#root.query(sql, params)
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const frame = this.#ctx.current()
    if (frame) return this.#ctx.nested(frame, fn)
    return this.pg.transaction(async (raw) => {
      const tx = wrap(raw)
      const frame: TxFrame = { tx, depth: 0, deferred: [] }
      const result = await this.#ctx.storage.run(frame, () => fn(tx))
      // In process there is no round trip to save: what was kept for the commit runs last.
      for (const d of frame.deferred) await tx.query(d.sql, d.params)
      return result
    })
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await this.pg.close()
    } finally {
      this.lock?.release()
    }
  }
}
