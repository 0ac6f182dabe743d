import { AsyncLocalStorage } from 'node:async_hooks'
import type { Queryable } from './types.js'

/** A statement kept for the end of the transaction (`Db.atCommit`). */
export interface Deferred {
  sql: string
  params: readonly unknown[]
  /** Name of the SQL-level prepared statement it runs as (pg driver). */
  prepare?: string
}

/** The transaction the current async call chain runs in, with its savepoint depth. */
export interface TxFrame {
  tx: Queryable
  depth: number
  /** Statements to run just before COMMIT; a savepoint's join its parent's when released. */
  deferred: Deferred[]
}

/** The name a deferred statement is prepared under; checked on both drivers, written into SQL on the server. */
export function preparedName(name: string | undefined): string | undefined {
  if (name !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`invalid prepared statement name ${name}`)
  return name
}

export function createTxContext() {
  const storage = new AsyncLocalStorage<TxFrame>()
  let savepoints = 0

  /** Runs fn inside a savepoint of the current frame; rolls back to it on error. */
  async function nested<T>(frame: TxFrame, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const name = `sp_${++savepoints}`
    await frame.tx.query(`SAVEPOINT ${name}`)
    const inner: TxFrame = { tx: frame.tx, depth: frame.depth + 1, deferred: [] }
    try {
      const result = await storage.run(inner, () => fn(frame.tx))
      await frame.tx.query(`RELEASE SAVEPOINT ${name}`)
      // What the savepoint kept for the commit now belongs to the enclosing transaction;
      // rolled back, it is dropped with the rest of the savepoint's work.
      frame.deferred.push(...inner.deferred)
      return result
    } catch (error) {
      await frame.tx.query(`ROLLBACK TO SAVEPOINT ${name}`)
      throw error
    }
  }

  /** Keeps a statement for the commit of the current transaction; false outside one. */
  function defer(statement: Deferred): boolean {
    const frame = storage.getStore()
    if (!frame) return false
    frame.deferred.push(statement)
    return true
  }

  return { storage, nested, defer, current: () => storage.getStore() }
}
