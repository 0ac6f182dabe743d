import type { Db } from '@medaffairs/plugin-sdk'

export interface RateLimitRule {
  /** Attempts allowed per window. */
  points: number
  windowSeconds: number
}

/**
 * Fixed-window counters in the database, so every instance of a cluster shares them.
 * One atomic upsert per hit.
 */
export class RateLimiter {
  constructor(private readonly db: Db) {}

  /** Counts a hit on `key`; returns whether it is within the rule and when to retry. */
  async hit(key: string, rule: RateLimitRule): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const { rows } = await this.db.query<{ count: number; reset_in: number }>(
      `INSERT INTO _rate_limits (key, window_start, count) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN _rate_limits.window_start < now() - make_interval(secs => $2) THEN 1 ELSE _rate_limits.count + 1 END,
         window_start = CASE WHEN _rate_limits.window_start < now() - make_interval(secs => $2) THEN now() ELSE _rate_limits.window_start END
       RETURNING count, GREATEST(0, EXTRACT(EPOCH FROM (window_start + make_interval(secs => $2) - now())))::float8 AS reset_in`,
      [key, rule.windowSeconds]
    )
    const { count, reset_in } = rows[0]
    return { allowed: count <= rule.points, retryAfterSeconds: Math.ceil(reset_in) }
  }

  async reset(key: string): Promise<void> {
    await this.db.query('DELETE FROM _rate_limits WHERE key = $1', [key])
  }
}
