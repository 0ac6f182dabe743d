import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../src/index.js'

type Rec = Record<string, any>

/** The archive review on the flow engine, with real users, roles and departments. */
describe.each(DRIVERS)('archive review on %s', (driver) => {
  let t: TestServer
  const auth: Record<string, Record<string, string>> = {}
  const users: Record<string, Rec> = {}
  const paper = {
    title: '冠脉介入术后双抗治疗的随访研究',
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
    const ward = (await t.server.app
      .service('departments')
      .create({ code: 'C1', name: '心内一病区', type: 'clinical', parentId: dept.id })) as Rec
    const office = (await t.server.app
      .service('departments')
      .create({ code: 'F', name: '科研科', type: 'functional' })) as Rec
    const people: Array<[string, string[], string]> = [
      ['sec', ['dept_secretary', 'staff'], dept.id],
      ['doc', ['staff'], ward.id],
      ['peer', ['staff'], ward.id],
      ['ro', ['research_office', 'staff'], office.id],
      ['hr1', ['hr', 'staff'], office.id]
    ]
    for (const [name, roles, deptId] of people) {
      users[name] = await createUser(t.server, { username: name, roles, deptId })
      auth[name] = bearer(await login(t, name))
    }
  })
  afterAll(() => t.close())

  const todo = async (who: string) =>
    (await t.api('GET', '/api/flow-tasks?box=todo', undefined, auth[who])).body.data as Rec[]
  const act = (who: string, taskId: string, action: string, comment?: string) =>
    t.api('POST', '/api/flow-actions', { taskId, action, comment }, auth[who])
  const credits = async () =>
    (await t.api('GET', `/api/credits?year=2025&staffId=${users.doc.id}`, undefined, auth.doc)).body
      .people as Rec[]
  const entryOf = async (id: string) => {
    const profile = (await t.api('GET', `/api/archive-profile/${users.doc.id}`, undefined, auth.doc)).body
    return (profile.modules as Rec[]).flatMap((m) => m.entries).find((e: Rec) => e.id === id)
  }

  it('sends a paper the person adds through the department and the research office before it counts', async () => {
    const created = await t.api('POST', '/api/archive-papers', { staffId: users.doc.id, ...paper }, auth.doc)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.state).toBe('reviewing:dept')
    expect(await credits()).toEqual([])
    expect((await entryOf(created.body.id)).review).toMatchObject({
      status: 'pending',
      instanceId: expect.any(String)
    })

    // Under review the person cannot change it, and only the assignee can decide.
    expect(
      (await t.api('PATCH', `/api/archive-papers/${created.body.id}`, { journal: '别的杂志' }, auth.doc))
        .status
    ).toBe(409)
    expect(await todo('ro')).toEqual([])
    const [secTask] = await todo('sec')
    expect(secTask).toBeTruthy()
    expect((await act('peer', secTask.id, 'approve')).status).toBeGreaterThanOrEqual(403)
    expect((await act('sec', secTask.id, 'approve')).status).toBe(201)

    const [roTask] = await todo('ro')
    expect((await act('ro', roTask.id, 'approve', '核实无误')).status).toBe(201)
    const after = await entryOf(created.body.id)
    expect(after.state).toBe('approved')
    expect(after.review).toBeUndefined()
    expect(await credits()).toEqual([
      expect.objectContaining({ staffId: users.doc.id, classII: 5, total: 5 })
    ])
  })

  it('returns a rejected entry to the person with the reason, and reviews it again after the fix', async () => {
    const created = (
      await t.api(
        'POST',
        '/api/archive-papers',
        { staffId: users.doc.id, ...paper, title: '第二篇论文', publishDate: '2025-08-01' },
        auth.doc
      )
    ).body
    const task = (await todo('sec')).find((x) => x.instance.recordId === created.id)!
    expect((await act('sec', task.id, 'reject', '请补充论文扫描件')).status).toBe(201)
    const rejected = await entryOf(created.id)
    expect(rejected.state).toBe('rejected')
    expect(rejected.review).toMatchObject({
      status: 'rejected',
      comment: '请补充论文扫描件',
      instanceId: expect.any(String)
    })
    expect((await credits())[0].total).toBe(5)

    const fixed = await t.api(
      'PATCH',
      `/api/archive-papers/${created.id}`,
      { volumeIssuePages: '45(3):210-215' },
      auth.doc
    )
    expect(fixed.status).toBe(200)
    expect(fixed.body.state).toBe('reviewing:dept')
    expect((await entryOf(created.id)).review.instanceId).not.toBe(rejected.review.instanceId)
  })

  it('counts entries made by the secretary or an office about a person at once, without review', async () => {
    const bySec = await t.api(
      'POST',
      '/api/archive-training',
      { staffId: users.doc.id, name: '省级心血管年会', nature: 'cme_provincial', startDate: '2025-09-10' },
      auth.sec
    )
    expect(bySec.status).toBe(201)
    expect(bySec.body.state ?? null).toBeNull()
    expect((await credits())[0]).toMatchObject({ classI: 5, classII: 5, total: 10 })
  })

  it('sends an HR module to HR, not to the research office', async () => {
    const created = (
      await t.api(
        'POST',
        '/api/archive-education',
        { staffId: users.doc.id, stage: '20', school: '中山大学', startDate: '2008-09-01' },
        auth.doc
      )
    ).body
    const [secTask] = (await todo('sec')).filter((x) => x.instance.collection === 'archive_education')
    expect((await act('sec', secTask.id, 'approve')).status).toBe(201)
    expect((await todo('ro')).some((x) => x.instance.collection === 'archive_education')).toBe(false)
    const [hrTask] = (await todo('hr1')).filter((x) => x.instance.collection === 'archive_education')
    expect((await act('hr1', hrTask.id, 'approve')).status).toBe(201)
    expect((await entryOf(created.id)).state).toBe('approved')
  })

  it("reviews each of the person's own entries written many at once (multi-create, batch edit)", async () => {
    const many = await t.api(
      'POST',
      '/api/archive-honours',
      [
        { staffId: users.doc.id, name: '优秀带教老师', level: 'hospital', date: '2025-03-01' },
        { staffId: users.doc.id, name: '优秀共产党员', level: 'hospital', date: '2025-07-01' }
      ],
      auth.doc
    )
    expect(many.status, JSON.stringify(many.body)).toBe(201)
    expect(many.body.map((e: Rec) => e.state)).toEqual(['reviewing:dept', 'reviewing:dept'])
    // An entry the secretary made (official) that the person then edits in a batch goes to review too.
    const official = (
      await t.api(
        'POST',
        '/api/archive-honours',
        { staffId: users.doc.id, name: '先进工作者', level: 'hospital', date: '2024-12-01' },
        auth.sec
      )
    ).body
    const batch = await t.api(
      'POST',
      '/api/batch',
      { collection: 'archive_honours', action: 'patch', ids: [official.id], data: { awardingBody: '本院' } },
      auth.doc
    )
    expect(batch.status, JSON.stringify(batch.body)).toBeLessThan(300)
    expect((await entryOf(official.id)).state).toBe('reviewing:dept')
  })

  it('refuses a wrong ISSN check digit at the field, keeps nothing, and stores a good one normalized', async () => {
    const bad = await t.api(
      'POST',
      '/api/archive-papers',
      { staffId: users.doc.id, ...paper, title: 'ISSN 错误', issn: '0253-3759' },
      auth.doc
    )
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([
      { field: 'issn', reason: expect.stringContaining('ISSN校验位错误：第8位应为8') }
    ])
    expect(
      (await t.api('GET', '/api/archive-papers?title=ISSN%20%E9%94%99%E8%AF%AF', undefined, auth.doc)).body
        .total
    ).toBe(0)
    const good = await t.api(
      'POST',
      '/api/archive-papers',
      { staffId: users.doc.id, ...paper, title: 'ISSN 正确', issn: '0253 3758', cnNumber: 'cn11-2148/r' },
      auth.sec
    )
    expect(good.status, JSON.stringify(good.body)).toBe(201)
    expect(good.body).toMatchObject({ issn: '0253-3758', cnNumber: 'CN11-2148/R' })
  })

  it('keeps nothing when no one can review the entry, and says why', async () => {
    const lonelyDept = (await t.server.app
      .service('departments')
      .create({ code: 'L', name: '无秘书科室', type: 'clinical' })) as Rec
    const lonely = await createUser(t.server, { username: 'lonely', roles: ['staff'], deptId: lonelyDept.id })
    const token = bearer(await login(t, 'lonely'))
    const res = await t.api(
      'POST',
      '/api/archive-honours',
      { staffId: lonely.id, name: '先进个人', level: 'hospital', date: '2025-01-01' },
      token
    )
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/找不到处理人/)
    expect((await t.api('GET', '/api/archive-honours', undefined, token)).body.total).toBe(0)
  })

  it("lets no one start a review of someone else's entry they cannot read", async () => {
    const [entry] = (
      await t.api('GET', `/api/archive-papers?staffId=${users.doc.id}&$limit=1`, undefined, auth.doc)
    ).body.data
    const res = await t.api(
      'POST',
      '/api/flows/start',
      { flowKey: 'archive_review_papers', collection: 'archive_papers', recordId: entry.id },
      auth.peer
    )
    expect([403, 404]).toContain(res.status)
  })
})
