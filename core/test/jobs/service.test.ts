import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import type { JobStatus } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import type { Jobs } from '../../src/jobs/index.js'
import { FAST, gate, waitFor, waitForState } from './helpers.js'

// The queue as the server wires it, called over real HTTP and socket.io.
describe.each(DRIVERS)('jobs service on %s', (driver) => {
  let t: TestServer
  let jobs: Jobs
  const user: Record<string, Record<string, any>> = {}
  const auth: Record<string, Record<string, string>> = {}
  const job: Record<string, string> = {}
  beforeAll(async () => {
    t = await startTestServer(driver, [], { jobs: FAST })
    jobs = t.server.jobs
    for (const [name, roles] of [
      ['alice', ['staff']],
      ['bob', ['staff']],
      ['root', ['system_admin']]
    ] as const) {
      user[name] = await createUser(t.server, { username: name, roles: [...roles] })
      auth[name] = bearer(await login(t, name))
    }
    // No handler for this name: these jobs stay queued while the rules are checked.
    job.alice1 = await jobs.queue.enqueue('test.unhandled', { n: 1 }, { createdBy: user.alice.id })
    job.alice2 = await jobs.queue.enqueue('test.unhandled', { n: 2 }, { createdBy: user.alice.id })
    job.bob = await jobs.queue.enqueue('test.unhandled', { n: 3 }, { createdBy: user.bob.id })
  })
  afterAll(() => t?.close()) // app.teardown() stops the queue through the service

  it('refuses anonymous callers', async () => {
    expect((await t.api('GET', '/api/jobs')).status).toBe(401)
    expect((await t.api('GET', `/api/jobs/${job.alice1}`)).status).toBe(401)
  })

  it("lists the caller's own jobs, newest first, paged", async () => {
    const all = await t.api('GET', '/api/jobs', undefined, auth.alice)
    expect(all.status).toBe(200)
    expect(all.body).toMatchObject({ total: 2, skip: 0 })
    expect(all.body.data.map((s: JobStatus) => s.id)).toEqual([job.alice2, job.alice1])
    const page = await t.api('GET', '/api/jobs?$limit=1&$skip=1', undefined, auth.alice)
    expect(page.body).toMatchObject({ total: 2, limit: 1, skip: 1 })
    expect(page.body.data.map((s: JobStatus) => s.id)).toEqual([job.alice1])
  })

  it('shows a job to its creator and to the system administrator only', async () => {
    const own = await t.api('GET', `/api/jobs/${job.alice1}`, undefined, auth.alice)
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({
      id: job.alice1,
      name: 'test.unhandled',
      state: 'created',
      createdBy: user.alice.id
    })
    expect((await t.api('GET', `/api/jobs/${job.bob}`, undefined, auth.alice)).status).toBe(404)
    expect((await t.api('GET', '/api/jobs/not-a-uuid', undefined, auth.alice)).status).toBe(404)
    expect((await t.api('GET', `/api/jobs/${job.bob}`, undefined, auth.root)).status).toBe(200)
    const everyone = await t.api('GET', '/api/jobs?$limit=50', undefined, auth.root)
    expect(everyone.body.data.map((s: JobStatus) => s.id)).toEqual(
      expect.arrayContaining([job.alice1, job.alice2, job.bob])
    )
  })

  it('cancels through remove, for the creator only', async () => {
    expect((await t.api('DELETE', `/api/jobs/${job.bob}`, undefined, auth.alice)).status).toBe(404)
    expect((await jobs.queue.get(job.bob))!.state).toBe('created')
    const removed = await t.api('DELETE', `/api/jobs/${job.alice2}`, undefined, auth.alice)
    expect(removed.status).toBe(200)
    expect(removed.body).toMatchObject({ id: job.alice2, state: 'cancelled' })
    expect((await t.api('PATCH', `/api/jobs/${job.alice1}`, {}, auth.alice)).status).toBe(405)
  })

  it('pushes progress and state changes to the creator’s sockets only', async () => {
    const connect = async (name: string) => {
      const socket: Socket = io(t.url, { transports: ['websocket'] })
      await new Promise((r) =>
        socket.emit(
          'create',
          'authentication',
          { strategy: 'jwt', accessToken: auth[name].authorization.slice(7) },
          r
        )
      )
      const got: { event: string; status: JobStatus }[] = []
      for (const event of ['progress', 'patched'])
        socket.on(`jobs ${event}`, (status: JobStatus) => got.push({ event, status }))
      return { socket, got }
    }
    const alice = await connect('alice')
    const bob = await connect('bob')
    const go = gate()
    await jobs.queue.register('live', async (_data, ctx) => {
      await ctx.progress(1, 2, 'first half')
      await go.opened
      await ctx.progress(2, 2, 'done')
      return { fileId: 'f-1' }
    })
    const id = await jobs.queue.enqueue('live', {}, { createdBy: user.alice.id })
    await waitFor(() => alice.got.some((e) => e.event === 'progress'), 10_000, 'a progress event')
    go.open()
    await waitForState(jobs.queue, id, ['completed'])
    await waitFor(() => alice.got.some((e) => e.status.state === 'completed'), 5000, 'the completion event')
    expect(alice.got.find((e) => e.event === 'progress')!.status).toMatchObject({
      id,
      state: 'active',
      progress: { done: 1, total: 2, message: 'first half' }
    })
    expect(alice.got.at(-1)).toMatchObject({
      event: 'patched',
      status: { id, state: 'completed', result: { fileId: 'f-1' } }
    })
    expect(bob.got).toEqual([])
    for (const c of [alice, bob]) c.socket.close()
  })
})
