import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login, TEST_PASSWORD } from '../../../tests/support/auth.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'

type Rec = Record<string, any>
const names = (body: Rec) => (body.data as Rec[]).map((p) => p.name)

describe.each(DRIVERS)('the colleague directory (people) on %s', (driver) => {
  let t: TestServer
  let staff: Record<string, string>
  let security: Record<string, string>
  const user: Record<string, Rec> = {}

  beforeAll(async () => {
    t = await startTestServer(driver)
    const app = t.server.app
    const cardio = (await app
      .service('departments')
      .create({ code: 'XNK', name: '心内科', nameEn: 'Cardiology', type: 'clinical' })) as Rec
    const people: Array<[string, string, string?, string?]> = [
      ['D1001', '张三', cardio.id],
      ['D1002', '王晓东', cardio.id, undefined],
      ['D1003', '李四', undefined, 'disabled'],
      ['D1004', '王晓明', cardio.id, 'left'],
      ['D1005', '赵六_%']
    ]
    for (const [username, name, deptId, status] of people)
      user[username] = await createUser(t.server, {
        username,
        name,
        roles: ['staff'],
        deptId: deptId ?? null,
        ...(status ? { status } : {})
      })
    await app.service('users').patch(user.D1002.id, { mobile: '13812345678', email: 'wxd@example.org' })
    await createUser(t.server, { username: 'sec', roles: ['security_admin'] })
    staff = bearer(await login(t, 'D1001'))
    security = bearer(await login(t, 'sec'))
  })
  afterAll(() => t.close())

  const people = (query: string, headers = staff) => t.api('GET', `/api/people${query}`, undefined, headers)

  it('lets a staff member find a colleague by name, employee number and pinyin initials, with the essentials only', async () => {
    // The staff role itself reads no other user.
    expect((await t.api('GET', `/api/users/${user.D1002.id}`, undefined, staff)).status).toBe(404)
    const byName = await people(`?q=${encodeURIComponent('晓东')}`)
    expect(byName.status).toBe(200)
    expect(byName.body).toMatchObject({ total: 1, limit: 10, skip: 0 })
    expect(byName.body.data).toEqual([
      {
        id: user.D1002.id,
        username: 'D1002',
        name: '王晓东',
        deptId: user.D1002.deptId,
        deptName: { 'zh-CN': '心内科', 'en-US': 'Cardiology' }
      }
    ])
    expect(names((await people('?q=D1002')).body)).toEqual(['王晓东'])
    expect(names((await people('?q=wxd')).body)).toEqual(['王晓东'])
    expect(names((await people('?q=WangXiao')).body)).toEqual(['王晓东'])
    expect(names((await people('?q=zs')).body)).toEqual(['张三'])
    // Pattern characters are matched literally.
    expect(names((await people(`?q=${encodeURIComponent('_%')}`)).body)).toEqual(['赵六_%'])
    expect((await people(`?q=${encodeURIComponent('%')}`)).body.total).toBe(1)
  })

  it('leaves disabled and departed users out of a search, but names them by id', async () => {
    expect(names((await people('?q=D100&$limit=50')).body)).toEqual(['张三', '王晓东', '赵六_%'])
    expect((await people(`?q=${encodeURIComponent('李四')}`)).body.total).toBe(0)
    expect((await people('?q=wxm')).body.total).toBe(0)
    const byIds = await people(`?ids=${user.D1003.id},${user.D1004.id},${user.D1001.id}`)
    expect(byIds.status).toBe(200)
    expect(names(byIds.body)).toEqual(['张三', '李四', '王晓明'])
    for (const row of byIds.body.data)
      expect(Object.keys(row).sort()).toEqual(['deptId', 'deptName', 'id', 'name', 'username'])
    expect(names((await people(`?ids[]=${user.D1004.id}`)).body)).toEqual(['王晓明'])
  })

  it('searches within a department and below, and pages', async () => {
    const dept = user.D1001.deptId
    expect(names((await people(`?deptId=${dept}`)).body)).toEqual(['张三', '王晓东'])
    const second = await people(`?deptId=${dept}&$limit=1&$skip=1`)
    expect([second.body.total, names(second.body)]).toEqual([2, ['王晓东']])
  })

  it('answers the same over a socket', async () => {
    const socket: Socket = io(t.url, { transports: ['websocket'] })
    const call = (...args: unknown[]) =>
      new Promise<any>((resolve) =>
        socket.emit(...(args as [string]), (err: any, data: any) => resolve(err ? { error: err } : { data }))
      )
    try {
      expect((await call('find', 'people', { q: 'wxd' })).error.code).toBe(401)
      await call('create', 'authentication', { strategy: 'jwt', accessToken: staff.authorization.slice(7) })
      const found = await call('find', 'people', { q: 'wxd' })
      expect(found.data.data).toEqual([
        {
          id: user.D1002.id,
          username: 'D1002',
          name: '王晓东',
          deptId: user.D1002.deptId,
          deptName: { 'zh-CN': '心内科', 'en-US': 'Cardiology' }
        }
      ])
      expect(names((await call('find', 'people', { q: '张三' })).data)).toEqual(['张三'])
      expect(names((await call('find', 'people', { q: 'D1005' })).data)).toEqual(['赵六_%'])
      expect((await call('find', 'people', { $limit: 51 })).error.code).toBe(400)
    } finally {
      socket.close()
    }
  })

  it('refuses anonymous callers, bad input, unfinished sessions and API keys that may not read users', async () => {
    expect((await people('?q=wxd', {})).status).toBe(401)
    const tooMany = await people('?$limit=51')
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.errors).toEqual([
      { field: '$limit', reason: expect.stringMatching(/1–50.*\(an integer from 1 to 50\)/) }
    ])
    const badIds = await people(`?ids=${encodeURIComponent("1' OR 1=1")}`)
    expect([badIds.status, badIds.body.errors[0].field]).toEqual([400, 'ids'])
    const manyIds = await people(`?ids=${Array.from({ length: 501 }, (_, i) => `u${i}`).join(',')}`)
    expect([manyIds.status, manyIds.body.errors[0].field]).toEqual([400, 'ids'])
    const unknown = await people('?status=disabled')
    expect([unknown.status, unknown.body.errors[0].field]).toEqual([400, 'status'])

    // A session that must change its password first may not look colleagues up yet.
    await t.server.app
      .service('users')
      .create({ username: 'D1009', name: '新人', roles: ['staff'], password: TEST_PASSWORD })
    const restricted = await t.api('POST', '/api/authentication', {
      strategy: 'local',
      username: 'D1009',
      password: TEST_PASSWORD
    })
    expect(restricted.body.authentication.restriction).toBe('password_change')
    expect((await people('?q=wxd', bearer(restricted.body.accessToken))).status).toBe(403)

    const key = async (collection: string) => {
      const res = await t.api(
        'POST',
        '/api/api-keys',
        {
          name: `${collection} reader`,
          scopes: { grants: [{ collection, actions: ['read'], scope: 'all' }] }
        },
        security
      )
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return { 'x-api-key': res.body.key as string }
    }
    expect((await people('?q=wxd', await key('departments'))).status).toBe(403)
    const allowed = await people('?q=wxd', await key('users'))
    expect([allowed.status, names(allowed.body)]).toEqual([200, ['王晓东']])
  })

  it('trusts internal calls', async () => {
    const page = (await t.server.app.service('people').find({ query: { q: 'zs' } })) as Rec
    expect(names(page)).toEqual(['张三'])
  })
})
