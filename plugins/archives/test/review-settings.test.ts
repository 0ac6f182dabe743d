import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../src/index.js'

type Rec = Record<string, any>

/** Who reviews what, changed on the settings page, decides where the next entry goes. */
describe.each(DRIVERS)('archive review settings on %s', (driver) => {
  let t: TestServer
  const auth: Record<string, Record<string, string>> = {}
  const users: Record<string, Rec> = {}
  const paper = {
    title: '急性心梗患者的早期康复',
    journal: '中华心血管病杂志',
    publishDate: '2025-05-01',
    journalLevel: 'cma',
    authorRole: 'first',
    issn: '0253-3758'
  }

  beforeAll(async () => {
    t = await startTestServer(driver, [dictionaries, archives])
    const dept = (await t.server.app
      .service('departments')
      .create({ code: 'C', name: '心内科', type: 'clinical' })) as Rec
    const office = (await t.server.app
      .service('departments')
      .create({ code: 'F', name: '职能科室', type: 'functional' })) as Rec
    const people: Array<[string, string[], string]> = [
      ['admin', ['system_admin'], office.id],
      ['ma', ['medical_affairs_admin', 'staff'], office.id],
      ['sec', ['dept_secretary', 'staff'], dept.id],
      ['doc', ['staff'], dept.id],
      ['ro', ['research_office', 'staff'], office.id],
      ['hr1', ['hr', 'staff'], office.id]
    ]
    for (const [name, roles, deptId] of people) {
      users[name] = await createUser(t.server, { username: name, roles, deptId })
      auth[name] = bearer(await login(t, name))
    }
  })
  afterAll(() => t.close())

  const settings = async (who: string) =>
    (await t.api('GET', '/api/archive-review-settings', undefined, auth[who])).body
  const papersRow = async (who = 'admin') =>
    (await settings(who)).data.find((r: Rec) => r.module === 'papers')
  const todo = async (who: string) =>
    (await t.api('GET', '/api/flow-tasks?box=todo', undefined, auth[who])).body.data as Rec[]

  it('lists the sixteen modules with the shipped reviewers, and who may save', async () => {
    const page = await settings('admin')
    expect(page.canEdit).toBe(true)
    expect(page.data).toHaveLength(16)
    expect(page.roles.map((r: Rec) => r.code)).toEqual(
      expect.arrayContaining(['hr', 'research_office', 'medical_affairs_admin'])
    )
    const row = page.data.find((r: Rec) => r.module === 'papers')
    expect(row).toMatchObject({
      flowKey: 'archive_review_papers',
      version: 1,
      enabled: true,
      settings: { office: 'research_office', secretary: true }
    })
    expect(row.steps.map((s: Rec) => s.assignee)).toEqual([
      { kind: 'role_in_dept', role: 'dept_secretary' },
      { kind: 'role', role: 'research_office' }
    ])
    expect((await settings('ma')).canEdit).toBe(false)
  })

  it('refuses those who may not change definitions, on REST and socket, and changes nothing', async () => {
    const denied = await t.api(
      'PATCH',
      '/api/archive-review-settings/papers',
      { office: 'hr', secretary: false, comment: '改由人事科审核' },
      auth.ma
    )
    expect(denied.status).toBe(403)
    const socket: Socket = io(t.url, { transports: ['websocket'] })
    try {
      await new Promise((r) =>
        socket.emit(
          'create',
          'authentication',
          { strategy: 'jwt', accessToken: auth.ma.authorization.slice(7) },
          r
        )
      )
      const [error] = await new Promise<[Rec | null]>((r) =>
        socket.emit(
          'patch',
          'archive-review-settings',
          'papers',
          { office: 'hr', secretary: false, comment: 'x' },
          {},
          (e: Rec | null) => r([e])
        )
      )
      expect(error).toMatchObject({ code: 403 })
    } finally {
      socket.close()
    }
    expect(await papersRow()).toMatchObject({
      version: 1,
      settings: { office: 'research_office', secretary: true }
    })
  })

  it('names the field of bad input and changes nothing', async () => {
    const noRole = await t.api(
      'PATCH',
      '/api/archive-review-settings/papers',
      { office: 'no_such_role', secretary: true, comment: '试试' },
      auth.admin
    )
    expect(noRole.status).toBe(400)
    expect(noRole.body.errors).toEqual([{ field: 'office', reason: expect.stringContaining('不存在') }])
    const noComment = await t.api(
      'PATCH',
      '/api/archive-review-settings/papers',
      { office: 'hr', secretary: true, comment: ' ' },
      auth.admin
    )
    expect(noComment.body.errors).toEqual([{ field: 'comment', reason: expect.stringContaining('修改说明') }])
    const badFlag = await t.api(
      'PATCH',
      '/api/archive-review-settings/papers',
      { office: 'hr', secretary: 'yes', comment: '试试' },
      auth.admin
    )
    expect(badFlag.body.errors[0].field).toBe('secretary')
    expect(
      (
        await t.api(
          'PATCH',
          '/api/archive-review-settings/nothing',
          { office: 'hr', secretary: true, comment: '试试' },
          auth.admin
        )
      ).status
    ).toBe(404)
    expect((await papersRow()).version).toBe(1)
  })

  it('sends the next paper the person enters to the new office, without the secretary step', async () => {
    const saved = await t.api(
      'PATCH',
      '/api/archive-review-settings/papers',
      { office: 'hr', secretary: false, comment: '论文改由人事科审核' },
      auth.admin
    )
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body).toMatchObject({ version: 2, settings: { office: 'hr', secretary: false } })
    const versions = (
      await t.api('GET', '/api/definitions?kind=flow&key=archive_review_papers', undefined, auth.admin)
    ).body.data as Rec[]
    expect(versions.find((v) => v.version === 2)).toMatchObject({
      status: 'published',
      comment: '论文改由人事科审核',
      author: users.admin.id
    })

    const created = await t.api('POST', '/api/archive-papers', { staffId: users.doc.id, ...paper }, auth.doc)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.state).toBe('reviewing:office')
    expect((await todo('sec')).some((x) => x.instance.recordId === created.body.id)).toBe(false)
    expect((await todo('ro')).some((x) => x.instance.recordId === created.body.id)).toBe(false)
    const task = (await todo('hr1')).find((x) => x.instance.recordId === created.body.id)
    expect(task).toBeTruthy()
    expect(
      (await t.api('POST', '/api/flow-actions', { taskId: task!.id, action: 'approve' }, auth.hr1)).status
    ).toBe(201)
  })

  it('shows a flow changed in the designer beyond the two settings read-only, and will not overwrite it', async () => {
    const current = (await t.api('GET', '/api/flows/archive_review_honours', undefined, auth.admin)).body
      .definition as Rec
    current.nodes.find((n: Rec) => n.id === 'office').timers = { remindAfterHours: 24 }
    const published = await t.api(
      'POST',
      '/api/definitions/publish',
      { kind: 'flow', key: 'archive_review_honours', body: current, comment: '提醒改为24小时' },
      auth.admin
    )
    expect(published.status, JSON.stringify(published.body)).toBe(201)
    const row = (await settings('admin')).data.find((r: Rec) => r.module === 'honours')
    expect(row).toMatchObject({ settings: null, enabled: true, version: 2 })
    const refused = await t.api(
      'PATCH',
      '/api/archive-review-settings/honours',
      { office: 'hr', secretary: true, comment: '改' },
      auth.admin
    )
    expect(refused.status).toBe(409)
    expect((await settings('admin')).data.find((r: Rec) => r.module === 'honours').version).toBe(2)
  })
})
