import { AsyncLocalStorage } from 'node:async_hooks'
import type { Queryable } from './types.js'

/** The transaction the current async call chain runs in, with its savepoint depth. */
export interface TxFrame {
  tx: Queryable
  depth: number
}

export function createTxContext() {
  const storage = new AsyncLocalStorage<TxFrame>()
  let savepoints = 0

  /** Runs fn inside a savepoint of the current frame; rolls back to it on error. */
  async function nested<T>(frame: TxFrame, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const name = `sp_${++savepoints}`
    await frame.tx.query(`SAVEPOINT ${name}`)
    try {
      const result = await storage.run({ tx: frame.tx, depth: frame.depth + 1 }, () => fn(frame.tx))
      await frame.tx.query(`RELEASE SAVEPOINT ${name}`)
      return result
    } catch (error) {
      await frame.tx.query(`ROLLBACK TO SAVEPOINT ${name}`)
      throw error
    }
  }

  return { storage, nested, current: () => storage.getStore() }
}
