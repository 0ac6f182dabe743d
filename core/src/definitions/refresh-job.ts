import type { JobQueue } from '@medaffairs/plugin-sdk'
import type { Definitions } from './engine.js'
import { refreshComputed } from './refresh.js'

export const REFRESH_JOB = 'definitions.refresh-computed'

/**
 * The daily run of `refreshComputed` over every collection (工龄 and other "years since"
 * fields grow with the calendar). Collections without such fields cost one cached form
 * look-up. `{ today }` in the job data stands in for the date (tests, catching up a day).
 */
export async function registerRefreshJob(
  jobs: JobQueue,
  defs: Definitions,
  collections: () => string[],
  cron = '15 1 * * *'
): Promise<void> {
  await jobs.register<{ today?: string } | null>(REFRESH_JOB, async (data, ctx) => {
    const names = collections()
    let changed = 0
    for (const [i, name] of names.entries()) {
      if (ctx.signal.aborted) break
      changed += await refreshComputed(defs, name, { today: data?.today })
      await ctx.progress(i + 1, names.length, name)
    }
    return { changed }
  })
  await jobs.schedule(REFRESH_JOB, cron, {}, { singletonKey: REFRESH_JOB })
}
