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
  query<R = Record<string, any>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>
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
  close(): Promise<void>
}
