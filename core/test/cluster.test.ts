import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import { createServer } from '../src/app.js'
import { startPeerServer, startTestServer, type TestServer } from '../../tests/support/server.js'
import { bearer, createUser, login } from '../../tests/support/auth.js'
import { clusterConfig, until } from './cluster-support.js'

// Cluster mode needs a database every instance shares, so only the PostgreSQL server driver.
const papers = defineCollection({
  name: 'papers',
  fields: [
    { name: 'title', type: 'string', filterable: true },
    { name: 'mobile', type: 'string' }
  ]
})
const plugin = definePlugin({ name: 'papers', version: '1.0.0', collections: [papers] })

type Rec = Record<string, any>

describe('cluster mode: two instances, one database, one Redis', () => {
  // Each instance re-checks the organization version only every minute here, so a change on
  // A can only reach B within the test through the cluster's invalidation message.
  const cluster = { ...clusterConfig(), identity: { orgCheckMs: 60_000 } }
  let a: TestServer
  let b: TestServer
  const dept: Record<string, string> = {}
  const user: Record<string, Rec> = {}
  const token: Record<string, string> = {}
  const sockets: Socket[] = []

  /** A socket signed in on `server`, collecting the events it is sent. */
  async function connect(server: TestServer, name: string, events: string[]) {
    const s: Socket = io(server.url, { transports: ['websocket'] })
    sockets.push(s)
    const got: Record<string, Rec[]> = Object.fromEntries(events.map((e) => [e, []]))
    for (const e of events) s.on(e, (d: Rec) => got[e].push(d))
    const auth = await new Promise<any>((r) =>
      s.emit(
        'create',
        'authentication',
        { strategy: 'jwt', accessToken: token[name] },
        (err: unknown, res: unknown) => r(err ?? res)
      )
    )
    expect(auth.accessToken).toBeTruthy()
    return got
  }

  beforeAll(async () => {
    a = await startTestServer('pg', [plugin], cluster)
    // B plays an API instance of the cluster: it leaves running jobs to A.
    b = await startPeerServer(a, [plugin], { ...cluster, jobs: { work: false } })
    const app = a.server.app
    const mk = async (code: string, parent?: string) =>
      (dept[code] = (
        (await app
          .service('departments')
          .create({ code, name: code, type: 'clinical', parentId: parent ? dept[parent] : null })) as Rec
      ).id)
    await mk('H')
    await mk('A', 'H')
    await mk('B', 'H')
    const people: Array<[string, string, string[]]> = [
      ['owner', 'A', ['staff']],
      ['sec', 'A', ['dept_secretary']],
      ['other', 'B', ['staff']],
      ['ma', 'H', ['medical_affairs_admin']]
    ]
    for (const [name, d, roles] of people)
      user[name] = await createUser(a.server, { username: name, deptId: dept[d], roles })
    // Signed in on either instance: the session lives in the shared database.
    for (const name of Object.keys(user)) token[name] = await login(name === 'ma' ? a : b, name)
    await app
      .service('masking-rules')
      .create({ collection: 'papers', field: 'mobile', rule: { kind: 'mobile' } })
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    await b?.close()
    await a?.close()
  })

  it('delivers a record created over REST on A to the sockets on B that may read it, shaped for each', async () => {
    const sec = await connect(b, 'sec', ['papers created'])
    const other = await connect(b, 'other', ['papers created'])
    const ma = await connect(a, 'ma', ['papers created'])
    const res = await a.api(
      'POST',
      '/api/papers',
      { title: 'from-a', ownerId: user.owner.id, deptId: dept.A, mobile: '13900001111' },
      bearer(token.ma)
    )
    expect(res.status).toBe(201)
    await until(
      () => sec['papers created'].length > 0 && ma['papers created'].length > 0,
      5000,
      'the created event'
    )
    expect(sec['papers created']).toEqual([
      expect.objectContaining({ id: res.body.id, title: 'from-a', mobile: '139****1111' })
    ])
    // Local sockets still get it (through Redis), unmasked for the medical-affairs admin.
    expect(ma['papers created']).toEqual([
      expect.objectContaining({ id: res.body.id, mobile: '13900001111' })
    ])
    // `other` (staff of department B) may not read it: the next event it gets is its own record's.
    const own = await a.api(
      'POST',
      '/api/papers',
      { title: 'other-own', ownerId: user.other.id, deptId: dept.B },
      bearer(token.ma)
    )
    await until(() => other['papers created'].length > 0, 5000, 'the second event')
    expect(other['papers created'].map((d) => d.id)).toEqual([own.body.id])
    expect(sec['papers created'].map((d) => d.id)).toEqual([res.body.id])
  })

  it('delivers a notification created on A to its recipient on B only', async () => {
    const owner = await connect(b, 'owner', ['notifications created'])
    const other = await connect(b, 'other', ['notifications created'])
    const notify = (userIds: string[], link: string) =>
      a.server.app.service('notifications').create({
        userIds,
        kind: 'review.assigned',
        title: { 'zh-CN': '有新的审核任务', 'en-US': 'New review task' },
        link,
        source: { collection: 'papers', id: '1' }
      })
    await notify([user.owner.id], '/records/papers/first')
    await notify([user.other.id], '/records/papers/second')
    await until(
      () => owner['notifications created'].length > 0 && other['notifications created'].length > 0,
      5000,
      'the notifications'
    )
    expect(owner['notifications created']).toEqual([
      expect.objectContaining({ userId: user.owner.id, link: '/records/papers/first' })
    ])
    expect(other['notifications created']).toEqual([
      expect.objectContaining({ userId: user.other.id, link: '/records/papers/second' })
    ])
  })

  it('pushes the progress of a job running on A to its creator on B', async () => {
    const events = ['jobs progress', 'jobs patched']
    const owner = await connect(b, 'owner', events)
    const other = await connect(b, 'other', events)
    const queue = a.server.jobs.queue
    await queue.register('cluster.live', async (_data, ctx) => {
      await ctx.progress(1, 2, 'first half')
      return { ok: true }
    })
    const id = await queue.enqueue('cluster.live', {}, { createdBy: user.owner.id })
    await until(
      () => owner['jobs patched'].some((s) => s.state === 'completed'),
      15_000,
      'the completion event on B'
    )
    expect(owner['jobs progress']).toEqual([
      expect.objectContaining({
        id,
        state: 'active',
        progress: expect.objectContaining({ done: 1, total: 2, message: 'first half' })
      })
    ])
    expect(other['jobs progress']).toEqual([])
    expect(other['jobs patched']).toEqual([])
  })

  it('expires the department-subtree cache of B when a department moves on A', async () => {
    const titles = async () =>
      ((await b.api('GET', '/api/papers', undefined, bearer(token.sec))).body.data as Rec[])
        .map((r) => r.title)
        .sort()
    expect(await titles()).toEqual(['from-a']) // B has cached department A's subtree
    await a.server.app.service('departments').patch(dept.B, { parentId: dept.A })
    await until(async () => (await titles()).includes('other-own'), 5000, 'B to see department B under A')
    expect(await titles()).toEqual(['from-a', 'other-own'])
  })

  it('expires the plugin-state cache of B at once when a plugin is disabled on A', async () => {
    const states = b.server.registry.states
    states.expire()
    expect(await states.isEnabled('papers')).toBe(true) // B caches the table for 3 s from here
    await a.server.app.service('plugins').patch('papers', { enabled: false })
    const waited = await until(
      async () => !(await states.isEnabled('papers')),
      5000,
      'B to see the plugin disabled'
    )
    expect(waited).toBeLessThan(1500)
    expect((await b.api('GET', '/api/papers', undefined, bearer(token.ma))).status).not.toBe(200)
    await a.server.app.service('plugins').patch('papers', { enabled: true })
    await until(
      async () => (await b.api('GET', '/api/papers', undefined, bearer(token.ma))).status === 200,
      1500,
      'B to see the plugin enabled'
    )
  })

  it('refuses to start with a clear error when REDIS_URL points at no Redis', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const start = createServer({
      db: a.server.db,
      plugins: [plugin],
      config: { port: 0, logLevel: 'silent', seed: 'none', redisUrl: 'redis://127.0.0.1:1' }
    })
    await expect(start).rejects.toThrow(/REDIS_URL: cannot connect to Redis/)
  })
})
