import type { CollectionDefinition, Db, Logger } from '@medaffairs/plugin-sdk'
import { syncIndexes } from '../storage/index.js'

export interface IndexStatus {
  collection: string
  /** The form version whose indexes are being built. */
  version: number
  state: 'building' | 'done' | 'failed'
  /** CREATE INDEX CONCURRENTLY (pg); PGlite has one connection and builds in a transaction. */
  concurrently: boolean
  startedAt: string
  finishedAt?: string
  created?: string[]
  dropped?: string[]
  error?: string
}

/**
 * Builds a collection's indexes in the background after a publish, so the publish returns at
 * once and, on pg, writers go on while a big table is indexed (CONCURRENTLY). Builds of one
 * collection run one after another; the last status per collection is kept for `definitions/indexes`.
 */
export class Indexer {
  readonly #chains = new Map<string, Promise<void>>()
  readonly #status = new Map<string, IndexStatus>()

  constructor(
    private readonly db: Db,
    private readonly logger: Logger
  ) {}

  schedule(def: CollectionDefinition, version: number): IndexStatus {
    // A build started inside a transaction would run on that transaction's connection after it ended.
    if (this.db.inTransaction()) throw new Error('Index builds are scheduled after the publish has committed')
    const status: IndexStatus = {
      collection: def.name,
      version,
      state: 'building',
      concurrently: this.db.driver === 'pg',
      startedAt: new Date().toISOString()
    }
    this.#status.set(def.name, status)
    const run = async () => {
      try {
        const { created, dropped } = await syncIndexes(this.db, def, { concurrently: true })
        Object.assign(status, { state: 'done', created, dropped, finishedAt: new Date().toISOString() })
      } catch (error) {
        Object.assign(status, {
          state: 'failed',
          error: (error as Error).message,
          finishedAt: new Date().toISOString()
        })
        this.logger.error({ collection: def.name, version, err: error }, 'index build after publish failed')
      }
    }
    const next = (this.#chains.get(def.name) ?? Promise.resolve()).then(run)
    this.#chains.set(def.name, next)
    return { ...status }
  }

  status(collection?: string): IndexStatus[] {
    const all = [...this.#status.values()].map((s) => ({ ...s }))
    return collection ? all.filter((s) => s.collection === collection) : all
  }

  /** Resolves when the builds scheduled so far (of one collection, or all) have finished. */
  async idle(collection?: string): Promise<void> {
    const chains = collection ? [this.#chains.get(collection)] : [...this.#chains.values()]
    await Promise.all(chains)
  }
}
