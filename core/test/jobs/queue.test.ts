import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobContext, JobStatus } from '@medaffairs/plugin-sdk'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import type { PgBossQueue } from '../../src/jobs/index.js'
import { gate, openQueue, sleep, waitFor, waitForState } from './helpers.js'

describe.each(DRIVERS)('job queue on %s', (driver) => {
  let t: TestDb
  let queue: PgBossQueue
  const events: { event: string; status: JobStatus }[] = []
  beforeAll(async () => {
    t = await createTestDb(driver)
    queue = await openQueue(t.db)
    queue.on((event, status) => events.push({ event, status }))
  })
  afterAll(async () => {
    await queue?.stop()
    await t?.drop()
  })

  it('runs an enqueued job and keeps its result, creator and timestamps', async () => {
    await queue.register('basic', async (data: { n: number }, ctx) => ({
      doubled: data.n * 2,
      attempt: ctx.attempt
    }))
    const id = await queue.enqueue('basic', { n: 21 }, { createdBy: 'user-1' })
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const done = await waitForState(queue, id, ['completed'])
    expect(done).toMatchObject({
      id,
      name: 'basic',
      state: 'completed',
      result: { doubled: 42, attempt: 1 },
      error: null,
      createdBy: 'user-1',
      attempts: 1
    })
    expect(Date.parse(done.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!))
    const states = events
      .filter((e) => e.status.id === id && e.event === 'patched')
      .map((e) => e.status.state)
    expect(states).toEqual(['active', 'completed'])
    // Arrays and scalars survive as JSON (node-postgres would send an array as a PostgreSQL array).
    await queue.register('echo', async (data: unknown) => data)
    const arrayJob = await queue.enqueue('echo', [1, 'two', { three: 3 }])
    expect((await waitForState(queue, arrayJob, ['completed'])).result).toEqual([1, 'two', { three: 3 }])
  })

  it('persists progress while the job runs, throttled to two writes a second, and emits it', async () => {
    const hold = gate()
    const phase = { from: 0, to: 0 }
    await queue.register('progress', async (_data, ctx: JobContext) => {
      await ctx.progress(5, 10, 'halfway')
      await hold.opened
      phase.from = Date.now()
      for (let i = 6; i <= 10; i++) {
        await ctx.progress(i, 10, `step ${i}`)
        await sleep(50)
      }
      phase.to = Date.now()
      return 'ok'
    })
    const id = await queue.enqueue('progress', {}, { createdBy: 'user-2' })
    const running = await waitFor(async () => {
      const s = await queue.get(id)
      return s?.progress?.done === 5 ? s : undefined
    })
    expect(running).toMatchObject({ state: 'active', progress: { done: 5, total: 10, message: 'halfway' } })
    hold.open()
    const done = await waitForState(queue, id, ['completed'])
    expect(done.progress).toEqual({ done: 10, total: 10, message: 'step 10' })
    const progress = events.filter((e) => e.status.id === id && e.event === 'progress')
    // Six reports: 'halfway', then five within ~0.25 s collapsed into one write per 0.5 s.
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress.length).toBeLessThan(6)
    expect(progress.length).toBeLessThanOrEqual(2 + Math.ceil((phase.to - phase.from) / 500))
    expect(progress.at(-1)!.status).toMatchObject({
      state: 'active',
      createdBy: 'user-2',
      progress: { done: 10 }
    })
  })

  it.concurrent('retries a failing job with exponential backoff, then succeeds', async ({ expect }) => {
    const starts: number[] = []
    await queue.register('flaky', async (_data, ctx) => {
      starts.push(Date.now())
      if (ctx.attempt < 3) throw new Error(`boom ${ctx.attempt}`)
      return { attempt: ctx.attempt }
    })
    const id = await queue.enqueue('flaky', {}, { retryLimit: 2, retryDelaySeconds: 1 })
    const retrying = await waitForState(queue, id, ['retry'])
    expect(retrying.error).toBe('boom 1')
    const done = await waitForState(queue, id, ['completed'], 15_000)
    expect(done).toMatchObject({ result: { attempt: 3 }, attempts: 3, error: null })
    // Delay × 2^n with jitter: the first wait is 1–2 s, the second 2–4 s.
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(950)
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(1950)
  })

  it.concurrent(
    'marks a job failed with its error message once the retries are used up',
    async ({ expect }) => {
      let calls = 0
      await queue.register('broken', async () => {
        calls++
        throw new Error('the import file is corrupt')
      })
      const id = await queue.enqueue('broken', {}, { retryLimit: 1, retryDelaySeconds: 1 })
      const failed = await waitForState(queue, id, ['failed'], 10_000)
      expect(failed).toMatchObject({ state: 'failed', error: 'the import file is corrupt', attempts: 2 })
      expect(calls).toBe(2)
    }
  )

  it.concurrent('does not start a job before startAfter', async ({ expect }) => {
    let startedAt = 0
    await queue.register('later', async () => {
      startedAt = Date.now()
    })
    const enqueuedAt = Date.now()
    const startAfter = new Date(enqueuedAt + 1500)
    const id = await queue.enqueue('later', {}, { startAfter })
    // A free worker polls at once after a local enqueue: it must leave this job alone.
    await sleep(200)
    expect((await queue.get(id))!.state).toBe('created')
    const done = await waitForState(queue, id, ['completed'])
    expect(startedAt - enqueuedAt).toBeGreaterThanOrEqual(1400)
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(startAfter.getTime() - 100)
  })

  it.concurrent('fails a job that runs past expireInSeconds and aborts its signal', async ({ expect }) => {
    let aborted: unknown
    await queue.register('stuck', async (_data, ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason))
      await new Promise(() => undefined) // never settles: the deadline must end it
    })
    const id = await queue.enqueue('stuck', {}, { expireInSeconds: 1, retryLimit: 0 })
    const failed = await waitForState(queue, id, ['failed'])
    expect(failed.error).toBe('job expired after 1 s')
    expect(String(aborted)).toMatch(/expired/)
  })

  it.concurrent('runs a recurring job from a cron schedule', async ({ expect }) => {
    const seen = gate<unknown>()
    await queue.register('tick', async (data) => seen.open(data))
    await queue.schedule('tick', '* * * * *', { every: 'minute' }, { retryLimit: 0 })
    expect(await Promise.race([seen.opened, sleep(8000).then(() => 'no run')])).toEqual({ every: 'minute' })
    const { rows } = await t.db.query('SELECT timezone FROM pgboss.schedule WHERE name = $1', ['tick'])
    expect(rows[0].timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
  })
})
