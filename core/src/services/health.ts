import { Unavailable } from '@feathersjs/errors'
import type { Db } from '@medaffairs/plugin-sdk'

/** Liveness: the process answers. */
export class HealthService {
  async find() {
    return { status: 'ok', time: new Date().toISOString() }
  }
}

/**
 * Readiness: the database answers and the instance is not shutting down. A load balancer
 * stops sending requests when this fails.
 */
export class ReadyService {
  constructor(
    private readonly db: Db,
    private readonly isClosing: () => boolean
  ) {}

  async find() {
    if (this.isClosing()) throw new Unavailable('shutting down', { ready: false })
    const started = performance.now()
    await this.db.query('SELECT 1')
    return { status: 'ready', driver: this.db.driver, dbMs: +(performance.now() - started).toFixed(2) }
  }
}
