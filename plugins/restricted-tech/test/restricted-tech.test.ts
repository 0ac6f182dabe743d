import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { applicationBody, startRtServer, type Rec, type RtServer } from './support.js'

describe.each(DRIVERS)('restricted technologies: catalogue, application and approval on %s', (driver) => {
  let t: RtServer
  beforeAll(async () => {
    t = await startRtServer(driver)
  }, 120_000)
  afterAll(() => t?.close())

  const national = async (who = 'ma') =>
    (await t.call(who, 'GET', '/api/restricted-technologies?scope=national&$limit=50&$sort[code]=1')).body
      .data as Rec[]

  it('seeds the twelve national items of 2022, readable by everyone and mirrored as a dictionary', async () => {
    const items = await national('outsider')
    expect(items.map((i) => i.code)).toEqual([
      'G01',
      'G02',
      'G03',
      'G04',
      'G05',
      'G06',
      'G07',
      'G08',
      'G09',
      'G10',
      'G11',
      'G12'
    ])
    expect(items.find((i) => i.code === 'G05')).toMatchObject({
      name: '性别重置技术',
      scope: 'national',
      catalogueVersion: '2022',
      surgeryLevel: '4'
    })
    const dict = (
      await t.call('outsider', 'GET', '/api/dictionary-items?dictionary=restricted_technology&$limit=50')
    ).body.data as Rec[]
    expect(dict.map((i) => i.code).sort()).toEqual(items.map((i) => i.code))
    expect(dict.find((i) => i.code === 'G11')!.label['zh-CN']).toBe('体外膜肺氧合（ECMO）技术')
  })

  it('protects national entries: no removal, no renaming; notes stay editable', async () => {
    const g05 = (await national()).find((i) => i.code === 'G05')!
    const removed = await t.call('ma', 'DELETE', `/api/restricted-technologies/${g05.id}`)
    expect(removed.status).toBe(403)
    const renamed = await t.call('ma', 'PATCH', `/api/restricted-technologies/${g05.id}`, {
      name: '改名',
      remark: 'x'
    })
    expect(renamed.status).toBe(403)
    expect(renamed.body.data.fields).toEqual(['name'])
    const noted = await t.call('ma', 'PATCH', `/api/restricted-technologies/${g05.id}`, {
      remark: '本院暂未开展',
      enabled: false
    })
    expect(noted.status).toBe(200)
    expect((await t.call('ma', 'GET', `/api/restricted-technologies/${g05.id}`)).body).toMatchObject({
      name: '性别重置技术',
      remark: '本院暂未开展'
    })
    const item = (
      await t.call('ma', 'GET', '/api/dictionary-items?dictionary=restricted_technology&code=G05')
    ).body.data[0]
    expect(item.enabled).toBe(false)
    expect(
      (
        await t.call('ma', 'POST', '/api/restricted-technologies', {
          code: 'X-01',
          name: '冒充国家级',
          scope: 'national'
        })
      ).body.errors
    ).toEqual([expect.objectContaining({ field: 'scope' })])
  })

  it('lets medical affairs add, edit and remove provincial entries, and nobody else', async () => {
    const added = await t.call('ma', 'POST', '/api/restricted-technologies', {
      code: 'GD-01',
      name: '经导管主动脉瓣置换术',
      scope: 'provincial',
      region: '广东省'
    })
    expect(added.status).toBe(201)
    expect(
      (await t.call('ma', 'GET', '/api/dictionary-items?dictionary=restricted_technology&code=GD-01')).body
        .total
    ).toBe(1)
    expect(
      (
        await t.call('ma', 'PATCH', `/api/restricted-technologies/${added.body.id}`, {
          name: '经导管主动脉瓣置换术（TAVR）'
        })
      ).status
    ).toBe(200)
    expect(
      (
        await t.call('ma', 'POST', '/api/restricted-technologies', {
          code: 'GD-01',
          name: '重复',
          scope: 'provincial'
        })
      ).status
    ).toBe(409)
    expect(
      (
        await t.call('head', 'POST', '/api/restricted-technologies', {
          code: 'GD-02',
          name: 'x',
          scope: 'provincial'
        })
      ).status
    ).toBe(403)
    expect(
      (await t.call('applicant', 'PATCH', `/api/restricted-technologies/${added.body.id}`, { name: 'x' }))
        .status
    ).toBe(403)
    expect((await t.call(null, 'GET', '/api/restricted-technologies')).status).toBe(401)
    expect((await t.call('ma', 'DELETE', `/api/restricted-technologies/${added.body.id}`)).status).toBe(200)
    expect(
      (await t.call('ma', 'GET', '/api/dictionary-items?dictionary=restricted_technology&code=GD-01')).body
        .data[0].enabled
    ).toBe(false)
  })

  it('validates the application on the server, naming every field, and stores nothing', async () => {
    const empty = await t.call('applicant', 'POST', '/api/restricted-tech-applications', {
      technologyCode: 'G11'
    })
    expect(empty.status).toBe(400)
    const fields = (empty.body.errors as Rec[]).map((e) => e.field)
    for (const f of [
      'applicationDate',
      'leaderId',
      'deptSetup',
      'facilities',
      'indications',
      'qualityControl',
      'riskPlan',
      'operators',
      'ethicsApproved'
    ])
      expect(fields).toContain(f)
    const bad = await t.call('applicant', 'POST', '/api/restricted-tech-applications', {
      ...applicationBody(t),
      technologyCode: 'G99',
      ethicsApproved: false,
      operators: [
        { userId: t.users.op2.id, role: 'assistant' },
        { userId: t.users.op2.id, role: 'assistant' }
      ]
    })
    expect(bad.status).toBe(400)
    expect((bad.body.errors as Rec[]).map((e) => e.field)).toContain('technologyCode')
    const rules = await t.call('applicant', 'POST', '/api/restricted-tech-applications', {
      ...applicationBody(t),
      ethicsApproved: false,
      operators: [
        { userId: t.users.op2.id, role: 'assistant' },
        { userId: t.users.op2.id, role: 'assistant' }
      ]
    })
    expect((rules.body.errors as Rec[]).map((e) => e.field)).toEqual([
      'operators.1.userId',
      'operators',
      'leaderId',
      'ethicsApproved'
    ])
    expect(rules.body.errors[0].reason).toMatch(/人员重复/)
    expect((await t.call('applicant', 'GET', '/api/restricted-tech-applications')).body.total).toBe(0)
  })

  it('runs department → medical affairs → experts (own department left out) → committee, then authorizes the operators', async () => {
    const created = await t.call('applicant', 'POST', '/api/restricted-tech-applications', applicationBody(t))
    expect(created.status).toBe(201)
    const started = await t.call('applicant', 'POST', '/api/flows/start', {
      flowKey: 'restricted-tech-application',
      collection: 'restricted_tech_applications',
      recordId: created.body.id
    })
    expect(started.status).toBe(201)
    const inst = started.body.id as string
    const taskOf = async (who: string) =>
      ((await t.call(who, 'GET', '/api/flow-tasks?box=todo&$limit=100')).body.data as Rec[]).find(
        (x) => x.instanceId === inst
      )!
    const act = (who: string, body: Rec) => t.call(who, 'POST', '/api/flow-actions', body)
    expect(
      (await act('head', { taskId: (await taskOf('head')).id, action: 'approve', comment: '同意' })).status
    ).toBe(201)
    expect((await act('ma', { taskId: (await taskOf('ma')).id, action: 'approve' })).status).toBe(201)
    const view = (await t.call('ma', 'GET', `/api/flow-instances/${inst}`)).body
    const panel = (view.tasks as Rec[])
      .filter((x) => x.nodeId === 'experts')
      .map((x) => x.assigneeId)
      .sort()
    expect(panel).toEqual([t.users.e1.id, t.users.e2.id, t.users.e4.id].sort())
    // The expert of the applicant's own department (e3) gets no task.
    expect(await taskOf('e3')).toBeUndefined()
    const sheets: Record<string, Rec> = {
      e1: { necessity: 90, conditions: 80, personnel: 85, safety: 80, management: 70 },
      e2: { necessity: 80, conditions: 70, personnel: 75, safety: 70, management: 60 },
      e4: { necessity: 60, conditions: 60, personnel: 60, safety: 60, management: 60 }
    }
    const over = await act('e1', {
      taskId: (await taskOf('e1')).id,
      action: 'score',
      scores: { ...sheets.e1, safety: 101 }
    })
    expect(over.status).toBe(400)
    for (const who of ['e1', 'e2', 'e4'])
      expect(
        (await act(who, { taskId: (await taskOf(who)).id, action: 'score', scores: sheets[who] })).status
      ).toBe(201)
    const scored = (await t.call('ma', 'GET', `/api/flow-instances/${inst}`)).body
    // Weighted 0–100: e1 = (20·90+20·80+25·85+25·80+10·70)/100 = 82.25, e2 = 72.25, e4 = 60; mean 71.5 ≥ 70.
    expect(scored.steps.find((s: Rec) => s.nodeId === 'experts').result).toMatchObject({
      passed: true,
      totals: [60, 72.25, 82.25],
      aggregate: 71.5
    })
    expect(
      (await t.call('applicant', 'GET', `/api/archive-authorizations?staffId=${t.users.applicant.id}`)).body
        .total
    ).toBe(0)
    expect(
      (await act('c1', { taskId: (await taskOf('c1')).id, action: 'approve', comment: '批准开展' })).status
    ).toBe(201)
    expect((await t.call('ma', 'GET', `/api/flow-instances/${inst}`)).body).toMatchObject({
      state: 'completed',
      outcome: 'approved'
    })
    expect(
      (await t.call('applicant', 'GET', `/api/restricted-tech-applications/${created.body.id}`)).body.state
    ).toBe('approved')

    const mine = (
      await t.call('applicant', 'GET', `/api/archive-authorizations?staffId=${t.users.applicant.id}`)
    ).body.data as Rec[]
    expect(mine).toEqual([
      expect.objectContaining({
        type: 'restricted_technology',
        item: 'G11 体外膜肺氧合（ECMO）技术',
        level: '4',
        source: 'restricted_technology',
        sourceId: created.body.id,
        status: 'valid',
        ownerId: t.users.applicant.id
      })
    ])
    const all = (await t.call('ma', 'GET', `/api/archive-authorizations?sourceId=${created.body.id}`)).body
      .data as Rec[]
    expect(all.map((a) => a.staffId).sort()).toEqual([t.users.applicant.id, t.users.op2.id].sort())
    const audit = (await t.server.app
      .service('audit')
      .find({ query: { collection: 'archive_authorizations', action: 'create' } })) as { data: Rec[] }
    expect(audit.data.map((e) => e.recordId).sort()).toEqual(all.map((a) => a.id).sort())
    expect(audit.data[0].actorId).toBe(t.users.c1.id)
  })

  it('ends rejected without authorizations when the panel fails it', async () => {
    const created = await t.call(
      'applicant',
      'POST',
      '/api/restricted-tech-applications',
      applicationBody(t, 'G08')
    )
    const inst = (
      await t.call('applicant', 'POST', '/api/flows/start', {
        flowKey: 'restricted-tech-application',
        collection: 'restricted_tech_applications',
        recordId: created.body.id
      })
    ).body.id
    const taskOf = async (who: string) =>
      ((await t.call(who, 'GET', '/api/flow-tasks?box=todo&$limit=100')).body.data as Rec[]).find(
        (x) => x.instanceId === inst
      )!
    await t.call('head', 'POST', '/api/flow-actions', {
      taskId: (await taskOf('head')).id,
      action: 'approve'
    })
    await t.call('ma', 'POST', '/api/flow-actions', { taskId: (await taskOf('ma')).id, action: 'approve' })
    const low = { necessity: 50, conditions: 50, personnel: 50, safety: 50, management: 50 }
    for (const who of ['e1', 'e2', 'e4'])
      await t.call(who, 'POST', '/api/flow-actions', {
        taskId: (await taskOf(who)).id,
        action: 'score',
        scores: low
      })
    expect((await t.call('ma', 'GET', `/api/flow-instances/${inst}`)).body).toMatchObject({
      state: 'rejected',
      outcome: 'rejected'
    })
    expect(
      (await t.call('ma', 'GET', `/api/archive-authorizations?sourceId=${created.body.id}`)).body.total
    ).toBe(0)
  })

  it('shows the menu entries to those who may open them', async () => {
    const menu = (await t.call('applicant', 'GET', '/api/manifest')).body.plugins.find(
      (p: Rec) => p.name === 'restricted-tech'
    ).menu as Rec[]
    expect(menu.map((m) => m.path)).toContain('/restricted-tech')
    expect(menu.map((m) => m.path)).toContain('/records/restricted-tech-cases')
  })
})
