import type { RedisBus } from './bus.js'
import type { Logger } from '../logger.js'

/** A per-instance cache another instance's change must expire at once. */
export interface SharedCache {
  /** Called by the cache after a change on this instance; set by `shareInvalidations`. */
  notifyPeers: (key: string) => void
  /** Drops the cached entry (or all of them) without telling anyone. */
  expire(key?: string): void
}

const CHANNEL = 'caches'

/**
 * Each cache still re-reads the database on its own TTL; this makes a change visible on
 * every instance right away instead of within that TTL. Messages name the cache and the key
 * only, never data: the receiver re-reads from PostgreSQL.
 */
export async function shareInvalidations(
  bus: RedisBus,
  caches: Record<string, SharedCache>,
  logger: Logger
): Promise<void> {
  for (const [name, cache] of Object.entries(caches)) {
    cache.notifyPeers = (key) => {
      const message = JSON.stringify({ from: bus.instanceId, cache: name, key })
      bus
        .publish(CHANNEL, message)
        .catch((error: unknown) =>
          logger.warn({ err: error, cache: name }, 'cluster: invalidation not published')
        )
    }
  }
  await bus.subscribe(CHANNEL, (raw) => {
    const message = JSON.parse(raw) as { from?: string; cache?: string; key?: string }
    if (message.from === bus.instanceId || !message.cache) return
    caches[message.cache]?.expire(message.key ?? undefined)
  })
}
