import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.js'

/**
 * Redis publish/subscribe between the instances of a cluster. One connection publishes, one
 * subscribes (a subscribed Redis connection can do nothing else). Channel names carry a
 * prefix so several deployments (or parallel test runs) can share one Redis.
 */
export class RedisBus {
  /** Tells this instance's own messages apart when Redis echoes them back. */
  readonly instanceId = randomUUID()
  readonly #handlers = new Map<string, (message: string) => void>()

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    readonly prefix: string,
    logger: Logger
  ) {
    sub.on('message', (channel: string, message: string) => {
      try {
        this.#handlers.get(channel)?.(message)
      } catch (error) {
        logger.warn({ err: error, channel }, 'cluster: message not handled')
      }
    })
  }

  /** Connects both clients; rejects (and closes them) when Redis cannot be reached in time. */
  static async open(url: string, prefix: string, logger: Logger, timeoutMs = 10_000): Promise<RedisBus> {
    const options = { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 3 }
    const pub = new Redis(url, options)
    const sub = new Redis(url, options)
    for (const client of [pub, sub])
      client.on('error', (err: Error) => logger.warn({ err }, 'cluster: redis error'))
    try {
      await Promise.all([pub.connect(), sub.connect()])
    } catch (error) {
      pub.disconnect()
      sub.disconnect()
      throw new Error(`REDIS_URL: cannot connect to Redis (${(error as Error).message})`)
    }
    return new RedisBus(pub, sub, prefix, logger)
  }

  channel(name: string): string {
    return `${this.prefix}:${name}`
  }

  async subscribe(name: string, handler: (message: string) => void): Promise<void> {
    const channel = this.channel(name)
    this.#handlers.set(channel, handler)
    await this.sub.subscribe(channel)
  }

  publish(name: string, message: string): Promise<number> {
    return this.pub.publish(this.channel(name), message)
  }

  async close(): Promise<void> {
    this.#handlers.clear()
    await Promise.allSettled([this.sub.quit(), this.pub.quit()])
  }
}
