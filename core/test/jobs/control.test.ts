import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import type { PgBossQueue } from '../../src/jobs/index.js'
import { gate, openQueue, sleep, waitFor, waitForState } from './helpers.js'

describe.each(DRIVERS)('job control on %s', (driver) => {
  let t: TestDb
  let queue: PgBossQueue
  beforeAll(async () => {
    t = await createTestDb(driver)
    queue = await openQueue(t.db)
  })
  afterAll(async () => {
    await queue?.stop()
    await t?.drop()
  })

  it('keeps one queued or running job per singleton key, even when enqueued at once', async () => {
    const first = await queue.enqueue('backup', {}, { singletonKey: 'nightly' })
    const again = await Promise.all(
      [1, 2, 3, 4].map(() => queue.enqueue('backup', {}, { singletonKey: 'nightly' }))
    )
    expect(new Set(again)).toEqual(new Set([first]))
    const other = await queue.enqueue('backup', {}, { singletonKey: 'weekly' })
    expect(other).not.toBe(first)
    const running = gate()
    const release = gate()
    await queue.register('backup', async () => {
      running.open()
      await release.opened
    })
    await running.opened
    expect(await queue.enqueue('backup', {}, { singletonKey: 'nightly' })).toBe(first) // still running
    release.open()
    await waitForState(queue, first, ['completed'])
    const next = await queue.enqueue('backup', {}, { singletonKey: 'nightly' })
    expect(next).not.toBe(first)
    await waitForState(queue, next, ['completed'])
  })

  it('cancels a queued job: it never runs', async () => {
    const id = await queue.enqueue('cancel-queued', { n: 1 }, { createdBy: 'u1' })
    await queue.cancel(id)
    expect((await queue.get(id))!.state).toBe('cancelled')
    let ran = false
    await queue.register('cancel-queued', async () => {
      ran = true
    })
    await sleep(1200)
    expect(ran).toBe(false)
    expect((await queue.get(id))!.state).toBe('cancelled')
  })

  it('cancels a running job: its signal is aborted and it does not end as completed', async () => {
    const started = gate()
    let reason: unknown
    await queue.register('cancel-running', async (_data, ctx) => {
      started.open()
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
      reason = ctx.signal.reason
      return 'finished anyway'
    })
    const id = await queue.enqueue('cancel-running', {})
    await started.opened
    await queue.cancel(id)
    await waitFor(() => reason, 5000, 'the abort')
    expect(String(reason)).toMatch(/cancelled/)
    await sleep(300)
    expect((await queue.get(id))!.state).toBe('cancelled')
  })

  it('answers unknown or malformed ids with nothing', async () => {
    expect(await queue.get('00000000-0000-4000-8000-000000000000')).toBeUndefined()
    expect(await queue.get('not-a-job')).toBeUndefined()
    await expect(queue.cancel('not-a-job')).resolves.toBeUndefined()
  })

  it('runs handlers outside the transaction that registered or enqueued them', async () => {
    const seen = gate<boolean>()
    await t.db.transaction(async () => {
      await queue.register('detached', async () => seen.open(t.db.inTransaction()))
      await queue.enqueue('detached', {})
    })
    expect(await seen.opened).toBe(false)
  })

  it('enqueues inside a transaction: a rollback leaves no job, a commit runs it', async () => {
    const ran: string[] = []
    await queue.register('in-tx', async (data: { tag: string }) => {
      ran.push(data.tag)
    })
    await expect(
      t.db.transaction(async () => {
        await queue.enqueue('in-tx', { tag: 'rolled back' }, { createdBy: 'u1' })
        throw new Error('the request failed')
      })
    ).rejects.toThrow('the request failed')
    const committed = await t.db.transaction(async (tx) => {
      const id = await queue.enqueue('in-tx', { tag: 'committed' })
      await tx.query('SELECT 1') // more work of the same request after the enqueue
      return id
    })
    await waitForState(queue, committed, ['completed'])
    await sleep(600)
    expect(ran).toEqual(['committed'])
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'in-tx'`)
    expect(rows[0].n).toBe(1)
  })
})
