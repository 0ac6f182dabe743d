/** The storage contract every part of core talks to; two drivers implement it. */
export interface QueryResult<R = Record<string, unknown>> {
  rows: R[]
  rowCount: number
}

export interface Queryable {
  query<R = Record<string, any>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>
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
