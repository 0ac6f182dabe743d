import type { Application } from '@feathersjs/feathers'
import type { AppConfig } from '../config.js'
import type { Logger } from '../logger.js'
import { RedisBus } from './bus.js'
import { shareInvalidations, type SharedCache } from './caches.js'
import { syncServiceEvents } from './events.js'

export type { SharedCache } from './caches.js'

export interface Cluster {
  /** Whether REDIS_URL is set: events and cache invalidations go through Redis. */
  readonly enabled: boolean
  /** Expires these caches on every other instance when they change here. */
  shareCaches(caches: Record<string, SharedCache>): Promise<void>
  /** Quits the Redis clients (after the HTTP server and sockets are closed). */
  close(): Promise<void>
}

const SINGLE: Cluster = { enabled: false, shareCaches: async () => undefined, close: async () => undefined }

/**
 * Cluster mode (REDIS_URL): service events reach the sockets of every instance, and the
 * per-instance caches are expired across instances. Without REDIS_URL nothing changes.
 * Call before registering any service.
 */
export async function setupCluster(app: Application, config: AppConfig, logger: Logger): Promise<Cluster> {
  if (!config.redisUrl) return SINGLE
  const prefix = config.cluster?.channelPrefix || 'medaffairs'
  const bus = await RedisBus.open(config.redisUrl, prefix, logger)
  await syncServiceEvents(app, bus, logger)
  logger.info(
    { prefix, instance: bus.instanceId },
    'cluster: events and cache invalidations shared through Redis'
  )
  return {
    enabled: true,
    shareCaches: (caches) => shareInvalidations(bus, caches, logger),
    close: () => bus.close()
  }
}
