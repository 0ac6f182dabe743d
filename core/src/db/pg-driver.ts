import pg from 'pg'
import { createTxContext } from './tx-context.js'
import type { Db, Queryable, QueryOptions, QueryResult } from './types.js'

// JSON numbers stay numbers; int8 counts fit in a double for our sizes.
pg.types.setTypeParser(20, (v) => Number(v))
pg.types.setTypeParser(1700, (v) => Number(v))

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      const values = params as unknown[] | undefined
      const res = await (options?.prepare ? client.query({ name: options.prepare, text: sql, values }) : client.query(sql, values))
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length }
    }
  }
}

/** Opens a pool on a PostgreSQL server (cluster mode, large hospitals). */
export async function openPg(connectionString: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: poolSize })
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined)
  const probe = await pool.connect()
  probe.release()
  return new PgDb(pool)
}

class PgDb implements Db {
  readonly driver = 'pg' as const
  readonly #ctx = createTxContext()
  readonly #root: Queryable

  constructor(readonly pool: pg.Pool) {
    this.#root = wrap(pool)
  }

  query<R = Record<string, any>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    const frame = this.#ctx.current()
    return (frame ? frame.tx : this.#root).query<R>(sql, params, options)
  }

  inTransaction(): boolean {
    return this.#ctx.current() !== undefined
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const frame = this.#ctx.current()
    if (frame) return this.#ctx.nested(frame, fn)
    const client = await this.pool.connect()
    const tx = wrap(client)
    try {
      await client.query('BEGIN')
      const result = await this.#ctx.storage.run({ tx, depth: 0 }, () => fn(tx))
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
