/** The storage contract every part of core talks to; two drivers implement it. */
export interface QueryResult<R = Record<string, unknown>> {
  rows: R[]
  rowCount: number
}

export interface QueryOptions {
  /**
   * Keeps the statement parsed and planned on each server connection under this name (the pg
   * driver; PGlite ignores it). For hot statements whose text never changes: the same name must
   * always carry the same text.
   */
  prepare?: string
}

export interface Queryable {
  query<R = Record<string, any>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions
  ): Promise<QueryResult<R>>
}

export type DriverName = 'pglite' | 'pg'

export interface Db extends Queryable {
  readonly driver: DriverName
  /**
   * Runs `fn` in a transaction. Every `db.query` made inside `fn` (also from code that only
   * holds `db`, such as hooks) joins it; a nested call becomes a savepoint.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** True when the caller runs inside `transaction`. */
  inTransaction(): boolean
  /**
   * Runs `sql` as the last statement of the current transaction: on a server it travels with
   * the COMMIT in one round trip (its values written into the text as escaped literals), and a
   * savepoint that rolls back drops it. Outside a transaction it runs at once. For small
   * writes whose answer nobody reads in the same transaction, such as one audit entry.
   * With `prepare`, the server keeps it planned per connection and the COMMIT carries only an
   * `EXECUTE` of it; its text must then cast every `$n` whose type the server cannot infer.
   */
  atCommit(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<void>
  close(): Promise<void>
}

/**
 * The rows of a collection a read would reach, as SQL to aggregate over instead of walking
 * pages: `app.service(path).find({ ...callerParams, query, readScope: true })` answers this
 * in place of rows. With a caller, the records pipeline has joined their data scope into it.
 */
export interface ReadScope {
  /** The collection's table, for `FROM`. */
  table: string
  /** The condition: the query, the caller's scope, soft-deleted rows left out; `$n` are `params`. */
  where: string
  params: unknown[]
  /**
   * A field's SQL as the storage layer (and its indexes) writes it. SQL `NULL` for a field
   * the caller may not read or sees masked, as a list would not show it to them either.
   */
  field(name: string): string
}

/** The ReadScope of a collection's `service` for `query`, read as the caller of `params` (none: unscoped). */
export async function readScope(
  service: { find(params: any): Promise<unknown> },
  query: Record<string, unknown>,
  params: object = {}
): Promise<ReadScope> {
  return (await service.find({ ...params, query, readScope: true })) as ReadScope
}

/**
 * Runs `fn` on one snapshot of the database: a read-only REPEATABLE READ transaction, so that
 * several reads (a dashboard's counts, say) agree with each other even while commits land
 * between them. Inside a transaction already, `fn` simply joins it.
 */
export async function readSnapshot<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction()) return fn()
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    return fn()
  })
}
