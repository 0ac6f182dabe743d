import pg from 'pg'
import { createTxContext, preparedName, type Deferred, type TxFrame } from './tx-context.js'
import type { Db, Queryable, QueryOptions, QueryResult } from './types.js'

// JSON numbers stay numbers; int8 counts fit in a double for our sizes.
pg.types.setTypeParser(20, (v) => Number(v))
pg.types.setTypeParser(1700, (v) => Number(v))

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(
      sql: string,
      params?: readonly unknown[],
      options?: QueryOptions
    ): Promise<QueryResult<R>> {
      const values = params as unknown[] | undefined
      const res = await (options?.prepare
        ? client.query({ name: options.prepare, text: sql, values })
        : client.query(sql, values))
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length }
    }
  }
}

/** A value as an SQL literal, escaped by the client (standard-conforming strings). */
function literal(client: pg.PoolClient, v: unknown): string {
  if (v === null || v === undefined) return 'NULL'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} into SQL`)
    return String(v)
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  const text = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v)
  // Most values hold neither quote nor backslash: they need no escaping pass.
  return /['\\]/.test(text) ? client.escapeLiteral(text) : `'${text}'`
}

/**
 * A deferred statement with its `$n` written as literals, so that several statements and the
 * COMMIT can go in one simple-protocol message. Its text must hold no other `$` (no quoted
 * dollars, no dollar-quoted bodies): the statements deferred are our own fixed ones.
 */
function inlineParams(client: pg.PoolClient, d: Deferred): string {
  if (d.prepare) return `EXECUTE ${d.prepare}(${d.params.map((v) => literal(client, v)).join(', ')})`
  return d.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1
    if (i >= d.params.length) throw new Error(`deferred statement has no value for $${n}`)
    return literal(client, d.params[i])
  })
}

/** The SQL-level prepared statements each connection holds (they outlive transactions, even rolled-back ones). */
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>()

/** Prepares the deferred statements this connection has not seen yet (once per connection and name). */
async function prepareDeferred(client: pg.PoolClient, deferred: readonly Deferred[]): Promise<void> {
  for (const d of deferred) {
    if (!d.prepare) continue
    const names = preparedOn.get(client) ?? new Set<string>()
    preparedOn.set(client, names)
    if (names.has(d.prepare)) continue
    await client.query(`PREPARE ${d.prepare} AS ${d.sql}`)
    names.add(d.prepare)
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

  query<R = Record<string, any>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions
  ): Promise<QueryResult<R>> {
    const frame = this.#ctx.current()
    return (frame ? frame.tx : this.#root).query<R>(sql, params, options)
  }

  inTransaction(): boolean {
    return this.#ctx.current() !== undefined
  }

  async atCommit(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<void> {
    if (!this.#ctx.defer({ sql, params, prepare: preparedName(options?.prepare) }))
      await this.#root.query(sql, params)
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const frame = this.#ctx.current()
    if (frame) return this.#ctx.nested(frame, fn)
    const client = await this.pool.connect()
    const tx = wrap(client)
    try {
      await client.query('BEGIN')
      const frame: TxFrame = { tx, depth: 0, deferred: [] }
      const result = await this.#ctx.storage.run(frame, () => fn(tx))
      // One round trip: what was kept for the commit, then COMMIT (simple protocol, no parameters).
      if (frame.deferred.length) await prepareDeferred(client, frame.deferred)
      await client.query([...frame.deferred.map((d) => inlineParams(client, d)), 'COMMIT'].join(';\n'))
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
