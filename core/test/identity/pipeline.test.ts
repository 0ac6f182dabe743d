import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { defineCollection, definePlugin, readScope } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'

const papers = defineCollection({
  name: 'papers',
  fields: [
    { name: 'title', type: 'string', filterable: true, sortable: true },
    { name: 'mobile', type: 'string' },
    { name: 'score', type: 'number' },
    { name: 'category', type: 'string', filterable: true }
  ]
})
const entries = defineCollection({
  name: 'entries',
  subject: { field: 'staffId' },
  fields: [
    { name: 'staffId', type: 'string', filterable: true },
    { name: 'title', type: 'string' }
  ]
})
const plugin = definePlugin({ name: 'papers', version: '1.0.0', collections: [papers, entries] })

type Rec = Record<string, any>

describe.each(DRIVERS)('records pipeline on %s', (driver) => {
  let t: TestServer
  const dept: Record<string, string> = {}
  const user: Record<string, Rec> = {}
  const auth: Record<string, Record<string, string>> = {}
  const rec: Record<string, Rec> = {}
  const titles = (res: { body: any }) => (res.body.data ?? res.body).map((r: Rec) => r.title).sort()

  beforeAll(async () => {
    t = await startTestServer(driver, [plugin])
    const app = t.server.app
    const mk = async (code: string, parent?: string) =>
      (dept[code] = (
        (await app
          .service('departments')
          .create({ code, name: code, type: 'clinical', parentId: parent ? dept[parent] : null })) as Rec
      ).id)
    await mk('H')
    await mk('A', 'H')
    await mk('A1', 'A')
    await mk('A11', 'A1')
    await mk('B', 'H')
    await app.service('roles').create([
      {
        code: 'public_reader',
        name: { 'zh-CN': '公开' },
        grants: [{ collection: 'papers', actions: ['read'], scope: 'custom', filter: { category: 'public' } }]
      },
      {
        code: 'title_only',
        name: { 'zh-CN': '只看标题' },
        grants: [
          {
            collection: 'papers',
            actions: ['read', 'update'],
            scope: 'all',
            readFields: ['title'],
            writeFields: ['title']
          }
        ]
      }
    ])
    const people: Array<[string, string, string[]]> = [
      ['s1', 'A11', ['staff']],
      ['s2', 'A1', ['staff']],
      ['sec', 'A1', ['dept_secretary']],
      ['head', 'A', ['dept_head']],
      ['ma', 'H', ['medical_affairs_admin']],
      ['aud', 'H', ['audit_admin']],
      ['secadm', 'H', ['security_admin']],
      ['mixed', 'B', ['staff', 'public_reader']],
      ['narrow', 'B', ['title_only']]
    ]
    for (const [name, d, roles] of people)
      user[name] = await createUser(t.server, { username: name, deptId: dept[d], roles })
    for (const name of Object.keys(user)) auth[name] = bearer(await login(t, name))
    const put = async (title: string, owner: string, d: string, extra: Rec = {}) =>
      (rec[title] = (await app.service('papers').create({
        title,
        ownerId: user[owner].id,
        deptId: dept[d],
        mobile: '13812345678',
        score: 5,
        category: 'internal',
        ...extra
      })) as Rec)
    await put('s1-own', 's1', 'A11')
    await put('s2-own', 's2', 'A1')
    await put('head-own', 'head', 'A')
    await put('b-public', 'mixed', 'B', { category: 'public' })
    await put('b-private', 'narrow', 'B')
    await app
      .service('masking-rules')
      .create({ collection: 'papers', field: 'mobile', rule: { kind: 'mobile' } })
  })
  afterAll(() => t.close())

  it('scopes lists and single reads: own, department and below, all', async () => {
    expect(titles(await t.api('GET', '/api/papers', undefined, auth.s1))).toEqual(['s1-own'])
    expect(titles(await t.api('GET', '/api/papers', undefined, auth.sec))).toEqual(['s1-own', 's2-own'])
    expect(titles(await t.api('GET', '/api/papers', undefined, auth.head))).toEqual([
      'head-own',
      's1-own',
      's2-own'
    ])
    expect(titles(await t.api('GET', '/api/papers', undefined, auth.ma))).toHaveLength(5)
    expect((await t.api('GET', `/api/papers/${rec['s2-own'].id}`, undefined, auth.s1)).status).toBe(404)
    expect((await t.api('GET', `/api/papers/${rec['s1-own'].id}`, undefined, auth.sec)).status).toBe(200)
  })

  it('cannot widen its scope through the query', async () => {
    const sneaky = await t.api(
      'GET',
      `/api/papers?$or[0][title]=b-private&$or[1][deptId]=${dept.B}`,
      undefined,
      auth.s1
    )
    expect(titles(sneaky)).toEqual([])
  })

  it('unites the scopes of several roles, with custom filters', async () => {
    expect(titles(await t.api('GET', '/api/papers', undefined, auth.mixed))).toEqual(['b-public'])
    await t.server.app
      .service('papers')
      .create({ title: 'mixed-own', ownerId: user.mixed.id, deptId: dept.B, category: 'internal' })
    expect(titles(await t.api('GET', '/api/papers', undefined, auth.mixed))).toEqual([
      'b-public',
      'mixed-own'
    ])
  })

  it('keeps the three administrators out of business data', async () => {
    expect((await t.api('GET', '/api/papers', undefined, auth.aud)).status).toBe(403)
    expect((await t.api('GET', '/api/papers', undefined, auth.secadm)).status).toBe(403)
    expect((await t.api('GET', '/api/papers')).status).toBe(401)
  })

  it('refuses to create or move records outside the scope, and stores nothing', async () => {
    const outside = await t.api('POST', '/api/papers', { title: 'sneak', deptId: dept.B }, auth.sec)
    expect(outside.status).toBe(403)
    const inside = await t.api('POST', '/api/papers', { title: 'sec-made', deptId: dept.A11 }, auth.sec)
    expect(inside.status).toBe(201)
    expect(inside.body).toMatchObject({ deptId: dept.A11, ownerId: user.sec.id })
    const move = await t.api('PATCH', `/api/papers/${inside.body.id}`, { deptId: dept.B }, auth.sec)
    expect(move.status).toBe(403)
    const stored = await t.server.app
      .service('papers')
      .find({ query: { title: { $in: ['sneak', 'sec-made'] } }, paginate: false })
    expect(stored.map((r: Rec) => [r.title, r.deptId])).toEqual([['sec-made', dept.A11]])
  })

  it('shows only readable fields and refuses writes to other fields', async () => {
    const seen = (await t.api('GET', `/api/papers/${rec['b-private'].id}`, undefined, auth.narrow)).body
    expect(seen.title).toBe('b-private')
    expect(seen.score).toBeUndefined()
    expect(seen.mobile).toBeUndefined()
    const denied = await t.api('PATCH', `/api/papers/${rec['b-private'].id}`, { score: 99 }, auth.narrow)
    expect(denied.status).toBe(403)
    expect(denied.body.data.fields).toEqual(['score'])
    expect(
      (await t.api('PATCH', `/api/papers/${rec['b-private'].id}`, { title: 'renamed' }, auth.narrow)).status
    ).toBe(200)
    expect((await t.server.app.service('papers').get(rec['b-private'].id)).score).toBe(5)
  })

  it('masks private fields for readers without the unmask right, and never saves a mask back', async () => {
    const masked = (await t.api('GET', `/api/papers/${rec['s1-own'].id}`, undefined, auth.s1)).body
    expect(masked.mobile).toBe('138****5678')
    expect((await t.api('GET', `/api/papers/${rec['s1-own'].id}`, undefined, auth.ma)).body.mobile).toBe(
      '13812345678'
    )
    const echoed = await t.api(
      'PATCH',
      `/api/papers/${rec['s1-own'].id}`,
      { ...masked, title: 's1-own' },
      auth.s1
    )
    expect(echoed.status).toBe(200)
    expect((await t.server.app.service('papers').get(rec['s1-own'].id)).mobile).toBe('13812345678')
  })

  it('hands a plugin the rows a caller may read as SQL: their scope, their readable and unmasked fields', async () => {
    const app = t.server.app
    const as = (name: string) => ({
      provider: 'rest',
      authentication: { strategy: 'jwt', accessToken: auth[name].authorization.slice(7) }
    })
    const totals = async (params: object) => {
      const scope = await readScope(app.service('papers'), {}, params)
      const sql = `SELECT count(*)::int AS n, sum(${scope.field('score')})::int AS score, count(${scope.field('mobile')})::int AS mobiles,
        array_agg(${scope.field('title')} ORDER BY ${scope.field('title')}) AS titles FROM ${scope.table} WHERE ${scope.where}`
      return (await t.server.db.query(sql, scope.params)).rows[0]
    }
    const listed = async (name: string) =>
      titles(await t.api('GET', '/api/papers?$limit=100', undefined, auth[name]))
    for (const name of ['s1', 'sec', 'mixed', 'ma'])
      expect((await totals(as(name))).titles).toEqual(await listed(name))
    // Masked for s1 (no unmask right), unreadable for narrow: as absent as in their lists.
    expect(await totals(as('s1'))).toMatchObject({ n: 1, score: 5, mobiles: 0 })
    const maList = (await t.api('GET', '/api/papers?$limit=100', undefined, auth.ma)).body.data as Rec[]
    expect(await totals(as('ma'))).toMatchObject({ mobiles: maList.filter((r) => r.mobile).length })
    const narrow = await totals(as('narrow'))
    expect(narrow).toMatchObject({ n: (await listed('narrow')).length, score: null, mobiles: 0 })
    // Server-side only: a client's `readScope` is a filter like any other, and internal calls are unscoped.
    expect((await t.api('GET', '/api/papers?readScope=true', undefined, auth.ma)).body.data).toEqual([])
    expect((await totals({})).n).toBe(
      ((await app.service('papers').find({ paginate: false })) as Rec[]).length
    )
    expect((await t.api('GET', '/api/papers', undefined, auth.aud)).status).toBe(403)
    await expect(readScope(app.service('papers'), {}, as('aud'))).rejects.toMatchObject({ code: 403 })
  })

  it('enforces the same rules over socket.io calls', async () => {
    const socket = io(t.url, { transports: ['websocket'] })
    const call = (...args: unknown[]) =>
      new Promise<any>((resolve) =>
        socket.emit(...(args as [string]), (err: any, data: any) => resolve(err ? { error: err } : { data }))
      )
    expect((await call('find', 'papers', {})).error.code).toBe(401)
    const token = auth.s1.authorization.slice(7)
    await call('create', 'authentication', { strategy: 'jwt', accessToken: token })
    const found = await call('find', 'papers', {})
    expect(found.data.data.map((r: Rec) => r.title)).toEqual(['s1-own'])
    expect((await call('get', 'papers', rec['s2-own'].id, {})).error.code).toBe(404)
    socket.close()
  })

  it('publishes a change only to sockets allowed to see it, masked for each', async () => {
    const connect = async (name: string) => {
      const s: Socket = io(t.url, { transports: ['websocket'] })
      await new Promise((r) =>
        s.emit(
          'create',
          'authentication',
          { strategy: 'jwt', accessToken: auth[name].authorization.slice(7) },
          r
        )
      )
      const got: Rec[] = []
      s.on('papers created', (d: Rec) => got.push(d))
      return { s, got }
    }
    const s1 = await connect('s1'),
      sec = await connect('sec'),
      ma = await connect('ma'),
      aud = await connect('aud')
    await t.server.app
      .service('papers')
      .create({ title: 'event-a1', ownerId: user.s2.id, deptId: dept.A1, mobile: '13900001111' })
    await new Promise((r) => setTimeout(r, 300))
    expect(s1.got).toEqual([])
    expect(aud.got).toEqual([])
    expect(sec.got.map((d) => d.mobile)).toEqual(['139****1111'])
    expect(ma.got.map((d) => d.mobile)).toEqual(['13900001111'])
    for (const c of [s1, sec, ma, aud]) c.s.close()
  })

  it('shows each user only the menus and collection rights they have', async () => {
    const paths = async (who?: string) =>
      (await t.api('GET', '/api/manifest', undefined, who ? auth[who] : {})).body.plugins.flatMap((p: Rec) =>
        p.menu.map((m: Rec) => m.path)
      )
    expect(await paths()).not.toContain('/admin/departments')
    expect(await paths('s1')).not.toContain('/admin/users')
    expect(await paths('s1')).toContain('/admin/departments') // everyone reads the organization
    expect(await paths('secadm')).toEqual(expect.arrayContaining(['/admin/roles', '/admin/masking']))
    expect(await paths('secadm')).not.toContain('/dictionaries')
    const collections = (await t.api('GET', '/api/collections', undefined, auth.s1)).body as Rec[]
    const papersInfo = collections.find((c) => c.name === 'papers')!
    expect(papersInfo.permissions).toMatchObject({ read: true, create: true, export: false, unmask: false })
    expect(papersInfo.fields.map((f: Rec) => f.name)).toContain('mobile')
    expect((await t.api('GET', '/api/collections')).status).toBe(401)
  })

  it("files records about a person under that person, whoever enters them, within the enterer's scope", async () => {
    const bySecretary = await t.api(
      'POST',
      '/api/entries',
      { staffId: user.s1.id, title: 'degree' },
      auth.sec
    )
    expect(bySecretary.status).toBe(201)
    expect(bySecretary.body).toMatchObject({ ownerId: user.s1.id, deptId: dept.A11, createdBy: user.sec.id })
    expect((await t.api('GET', `/api/entries/${bySecretary.body.id}`, undefined, auth.s1)).status).toBe(200)
    expect(
      (await t.api('POST', '/api/entries', { staffId: user.mixed.id, title: 'not mine' }, auth.sec)).status
    ).toBe(403)
    expect(
      (await t.api('POST', '/api/entries', { staffId: user.s2.id, title: 'colleague' }, auth.s1)).status
    ).toBe(403)
    expect(
      (await t.api('POST', '/api/entries', { staffId: 'ghost', title: 'x' }, auth.sec)).body.errors[0].field
    ).toBe('staffId')
    const moved = await t.api(
      'PATCH',
      `/api/entries/${bySecretary.body.id}`,
      { staffId: user.mixed.id },
      auth.sec
    )
    expect(moved.status).toBe(403)
  })

  it("keeps the administrators' separation out of the API: no tiers set, no built-in role removed", async () => {
    const secAuth = bearer(await login(t, 'secadm'))
    const forged = await t.api(
      'POST',
      '/api/roles',
      { code: 'forged', name: { 'zh-CN': '伪造' }, tier: 'system', builtin: true, grants: [] },
      secAuth
    )
    expect(forged.body.errors.map((e: Rec) => e.field).sort()).toEqual(['builtin', 'tier'])
    const staffRole = (await t.api('GET', '/api/roles?code=staff', undefined, secAuth)).body.data[0]
    expect(
      (await t.api('DELETE', `/api/roles/${staffRole.id}`, undefined, secAuth)).body.errors[0].field
    ).toBe('builtin')
    expect((await t.api('PATCH', `/api/roles/${staffRole.id}`, { tier: 'audit' }, secAuth)).status).toBe(400)
  })

  it('shows a generated initial password to the creator once, and in no event', async () => {
    const admin = await createUser(t.server, { username: 'sys9', roles: ['system_admin'] })
    const adminAuth = bearer(await login(t, 'sys9'))
    const s: Socket = io(t.url, { transports: ['websocket'] })
    await new Promise((r) =>
      s.emit(
        'create',
        'authentication',
        { strategy: 'jwt', accessToken: adminAuth.authorization.slice(7) },
        r
      )
    )
    const seen: Rec[] = []
    s.on('users created', (d: Rec) => seen.push(d))
    const created = await t.api(
      'POST',
      '/api/users',
      { username: 'fresh1', name: '新同事', deptId: dept.A },
      adminAuth
    )
    expect(created.body.initialPassword).toMatch(/^[A-Za-z0-9@#$%]{10}$/)
    await new Promise((r) => setTimeout(r, 300))
    expect(seen.map((u) => u.username)).toEqual(['fresh1'])
    expect(seen[0].initialPassword).toBeUndefined()
    const res = await t.api('POST', '/api/authentication', {
      strategy: 'local',
      username: 'fresh1',
      password: created.body.initialPassword
    })
    expect(res.body.authentication.restriction).toBe('password_change')
    s.close()
    expect(admin.id).toBeTruthy()
  })

  it('follows a department move at once: the subtree scope is recomputed', async () => {
    expect(titles(await t.api('GET', '/api/papers?title=s1-own', undefined, auth.sec))).toEqual(['s1-own'])
    await t.server.app.service('departments').patch(dept.A11, { parentId: dept.B })
    const moved = (await t.server.app.service('departments').get(dept.A11)) as Rec
    const b = (await t.server.app.service('departments').get(dept.B)) as Rec
    expect(moved.path).toBe(`${b.path}${dept.A11}/`)
    expect(titles(await t.api('GET', '/api/papers?title=s1-own', undefined, auth.sec))).toEqual([])
    const loop = await t.api('PATCH', `/api/departments/${dept.H}`, { parentId: dept.A1 }, auth.ma)
    expect(loop.status).toBe(403)
  })
})
