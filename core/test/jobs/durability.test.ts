import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import type { PgBossQueue } from '../../src/jobs/index.js'
import { gate, openQueue, sleep, waitFor, waitForState } from './helpers.js'

describe.each(DRIVERS)('job durability on %s', (driver) => {
  let t: TestDb
  const queues: PgBossQueue[] = []
  // Every instance opened here is stopped at the end, whatever a test left running.
  const open = async (...args: Parameters<typeof openQueue> extends [unknown, ...infer R] ? R : never) => {
    const q = await openQueue(t.db, ...args)
    queues.push(q)
    return q
  }
  beforeAll(async () => {
    t = await createTestDb(driver)
  })
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.stop()))
    await t?.drop()
  })

  it('survives a restart: a job enqueued before the stop runs on the next instance', async () => {
    const first = await open()
    const id = await first.enqueue('restart', { payload: 'kept' }, { createdBy: 'u1' })
    await first.stop()
    const second = await open()
    const seen = gate<unknown>()
    await second.register('restart', async (data) => seen.open(data))
    expect(await seen.opened).toEqual({ payload: 'kept' })
    expect(await waitForState(second, id, ['completed'])).toMatchObject({ createdBy: 'u1', attempts: 1 })
  })

  it('drains on stop: a running job finishes; one past the timeout is interrupted and retried later', async () => {
    const q = await open({ stopTimeoutMs: 800 })
    const started = { quick: gate(), slow: gate() }
    await q.register('drain-quick', async () => {
      started.quick.open()
      await sleep(300)
      return 'done'
    })
    await q.register('drain-slow', async (_data, ctx) => {
      started.slow.open()
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))
    })
    const quick = await q.enqueue('drain-quick', {})
    const slow = await q.enqueue('drain-slow', {}, { retryLimit: 1, retryDelaySeconds: 1 })
    await Promise.all([started.quick.opened, started.slow.opened])
    const t0 = Date.now()
    await q.stop()
    expect(Date.now() - t0).toBeLessThan(6000) // the slow job never ends by itself
    expect((await q.get(quick))!.state).toBe('completed')
    expect(await q.get(slow)).toMatchObject({
      state: 'retry',
      error: 'interrupted: the server stopped before the job finished'
    })
    const next = await open()
    await next.register('drain-slow', async (_data, ctx) => ({ attempt: ctx.attempt }))
    expect((await waitForState(next, slow, ['completed'])).result).toEqual({ attempt: 2 })
  })

  it('runs each of 200 jobs exactly once when two instances race for them', async () => {
    await t.db.query('CREATE TABLE job_runs (job_id uuid PRIMARY KEY, instance text NOT NULL)')
    const [a, b] = [await open(), await open()]
    const handler = (instance: string) => async (_data: unknown, ctx: { id: string }) => {
      // A second run of the same job would break the primary key and fail the job (no retries).
      await t.db.query('INSERT INTO job_runs (job_id, instance) VALUES ($1, $2)', [ctx.id, instance])
      await sleep(Math.random() * 5)
    }
    const ids: string[] = []
    for (let i = 0; i < 200; i++) ids.push(await a.enqueue('race', { i }, { retryLimit: 0 }))
    await a.register('race', handler('a'), { concurrency: 8 })
    await b.register('race', handler('b'), { concurrency: 8 })
    await waitFor(
      async () => {
        const { rows } = await t.db.query(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'race' AND state IN ('completed', 'failed')`
        )
        return rows[0].n === 200
      },
      40_000,
      'all 200 jobs to finish'
    )
    const runs = await t.db.query<{ n: number; distinct: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS distinct FROM job_runs'
    )
    expect(runs.rows[0]).toEqual({ n: 200, distinct: 200 })
    const states = await t.db.query(
      `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = 'race' GROUP BY 1`
    )
    expect(states.rows).toEqual([{ state: 'completed', n: 200 }])
    const byInstance = await t.db.query<{ instance: string; n: number }>(
      'SELECT instance, count(*)::int AS n FROM job_runs GROUP BY 1 ORDER BY 1'
    )
    expect(byInstance.rows.map((r) => r.instance)).toEqual(['a', 'b'])
  })

  it('keeps request transactions and queue work apart on one database', async () => {
    // pglite-socket failed exactly this: its statements ran inside in-process transactions.
    await t.db.query('CREATE TABLE coexist (id serial PRIMARY KEY, source text NOT NULL)')
    const q = await open()
    await q.register(
      'coexist',
      async () => {
        await t.db.query(`INSERT INTO coexist (source) VALUES ('job')`)
      },
      { concurrency: 4 }
    )
    const unexpected: string[] = []
    // Requests that write, half of them rolling back, while the jobs run and write too.
    const requests = async () => {
      for (let n = 0; n < 60; n++) {
        await t.db
          .transaction(async (tx) => {
            await tx.query(`INSERT INTO coexist (source) VALUES ($1)`, [n % 2 ? 'committed' : 'rolled back'])
            await sleep(1)
            if (n % 2 === 0) throw new Error('rollback')
          })
          .catch((error: Error) => {
            if (error.message !== 'rollback') unexpected.push(error.message)
          })
      }
    }
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => q.enqueue('coexist', { i })))
    await Promise.all([requests(), requests()])
    await waitFor(
      async () => (await Promise.all(ids.map((id) => q.get(id)))).every((s) => s?.state === 'completed'),
      20_000,
      'the jobs'
    )
    const { rows } = await t.db.query<{ source: string; n: number }>(
      'SELECT source, count(*)::int AS n FROM coexist GROUP BY 1 ORDER BY 1'
    )
    const counts = Object.fromEntries(rows.map((r) => [r.source, r.n]))
    expect(unexpected).toEqual([])
    expect(counts.job).toBe(40)
    expect(counts['rolled back']).toBeUndefined()
    expect(counts.committed).toBe(60)
  })
})
