import { randomUUID } from 'node:crypto'

/**
 * Config for the instances of one cluster test: the Redis every test shares, under a channel
 * prefix of their own, so parallel test files never see each other's messages.
 */
export const clusterConfig = () => ({
  redisUrl: 'redis://127.0.0.1:6379',
  cluster: { channelPrefix: `medaffairs-test-${randomUUID()}` }
})

/** Resolves once `check` holds, polling, with how long that took; fails after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms = 5000,
  what = 'condition'
): Promise<number> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
  return Date.now() - start
}
