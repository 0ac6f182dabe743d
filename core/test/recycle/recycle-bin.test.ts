import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { peopleInTwoDepartments } from '../../../tests/support/auth.js'

const honours = defineCollection({
  name: 'honours',
  fields: [{ name: 'title', type: 'string', unique: true }]
})
const plugin = definePlugin({ name: 'honours', version: '1.0.0', collections: [honours] })
type Rec = Record<string, any>

describe.each(DRIVERS)('recycle bin on %s', (driver) => {
  let t: TestServer
  let auth: Record<string, Record<string, string>>
  let users: Record<string, Rec>
  beforeAll(async () => {
    t = await startTestServer(driver, [plugin])
    ;({ users, auth } = await peopleInTwoDepartments(t, {
      ma: ['medical_affairs_admin', 'A'],
      s1: ['staff', 'A'],
      s2: ['staff', 'B'],
      sys: ['system_admin', 'A']
    }))
  })
  afterAll(() => t.close())

  const create = async (who: string, title: string) =>
    (await t.api('POST', '/api/honours', { title }, auth[who])).body as Rec

  it("lists everyone's removed records for an administrator, newest first, with who and when", async () => {
    const h1 = await create('s1', 'h1')
    const h2 = await create('s2', 'h2')
    await t.api('DELETE', `/api/honours/${h1.id}`, undefined, auth.s1)
    await t.api('DELETE', `/api/honours/${h2.id}`, undefined, auth.s2)
    const bin = await t.api('GET', '/api/recycle-bin?collection=honours', undefined, auth.ma)
    expect(bin.body.data.map((e: Rec) => e.title)).toEqual(['h2', 'h1'])
    expect(bin.body.data[0]).toMatchObject({ collection: 'honours', deletedBy: users.s2.id })
    const byUser = await t.api('GET', `/api/recycle-bin?deletedBy=${users.s1.id}`, undefined, auth.ma)
    expect(byUser.body.data.map((e: Rec) => e.title)).toEqual(['h1'])
    expect((await t.api('GET', '/api/recycle-bin', undefined, auth.s1)).body.data).toEqual([])
    expect(
      (await t.api('GET', '/api/recycle-bin?collection=honours', undefined, auth.sys)).body.data
    ).toEqual([])
  })

  it('restores one or many, audited, and the records come back', async () => {
    const bin = (await t.api('GET', '/api/recycle-bin?collection=honours', undefined, auth.ma)).body
      .data as Rec[]
    const res = await t.api(
      'POST',
      '/api/recycle-bin',
      { action: 'restore', items: bin.map((e) => ({ collection: 'honours', id: e.id })) },
      auth.ma
    )
    expect(res.status).toBe(201)
    expect((await t.api('GET', '/api/honours?title=h1', undefined, auth.ma)).body.total).toBe(1)
    const audit = (await t.server.app.service('audit').find({ query: { action: 'restore' } })) as {
      data: Rec[]
    }
    expect(audit.data.map((e) => e.actorId)).toEqual([users.ma.id, users.ma.id])
  })

  it('refuses a restore that would break uniqueness, and restores nothing of the batch', async () => {
    const old = await create('s1', 'dup')
    await t.api('DELETE', `/api/honours/${old.id}`, undefined, auth.s1)
    const other = await create('s1', 'other')
    await t.api('DELETE', `/api/honours/${other.id}`, undefined, auth.s1)
    await create('s1', 'dup')
    const res = await t.api(
      'POST',
      '/api/recycle-bin',
      {
        action: 'restore',
        items: [
          { collection: 'honours', id: other.id },
          { collection: 'honours', id: old.id }
        ]
      },
      auth.ma
    )
    expect(res.status).toBe(409)
    expect((await t.api('GET', '/api/honours?title=other', undefined, auth.ma)).body.total).toBe(0)
  })

  it('purges for good only with the rights to, and only what is in the bin', async () => {
    const gone = await create('s1', 'gone')
    expect(
      (
        await t.api(
          'POST',
          '/api/recycle-bin',
          { action: 'purge', items: [{ collection: 'honours', id: gone.id }] },
          auth.ma
        )
      ).status
    ).toBe(400)
    await t.api('DELETE', `/api/honours/${gone.id}`, undefined, auth.s1)
    expect(
      (
        await t.api(
          'POST',
          '/api/recycle-bin',
          { action: 'purge', items: [{ collection: 'honours', id: gone.id }] },
          auth.s1
        )
      ).status
    ).toBe(403)
    expect(
      (
        await t.api(
          'POST',
          '/api/recycle-bin',
          { action: 'purge', items: [{ collection: 'honours', id: gone.id }] },
          auth.ma
        )
      ).status
    ).toBe(201)
    expect(
      (await t.server.db.query('SELECT count(*)::int AS n FROM c_honours WHERE id = $1', [gone.id])).rows[0].n
    ).toBe(0)
    expect(
      (await t.api('POST', '/api/recycle-bin', { action: 'explode', items: [] }, auth.ma)).body.errors[0]
        .field
    ).toBe('action')
  })

  it('purges what stayed in the bin past the retention period', async () => {
    const aged = await create('s1', 'aged')
    await t.api('DELETE', `/api/honours/${aged.id}`, undefined, auth.s1)
    await t.server.db.query(`UPDATE c_honours SET deleted_at = now() - interval '200 days' WHERE id = $1`, [
      aged.id
    ])
    const service = t.server.app.service('recycle-bin') as unknown as {
      purgeOlderThan(d: number): Promise<number>
    }
    expect(await service.purgeOlderThan(180)).toBe(1)
    expect(
      (await t.server.db.query('SELECT count(*)::int AS n FROM c_honours WHERE id = $1', [aged.id])).rows[0].n
    ).toBe(0)
  })
})
