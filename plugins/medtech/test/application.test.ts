import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { application, startMedtech, type MedtechServer, type Rec } from './support.js'

const fields = (res: { body: any }) =>
  ((res.body.errors ?? res.body.data?.errors ?? []) as Rec[]).map((e) => e.field).sort()

describe.each(DRIVERS)('new-technology application form on %s', (driver) => {
  let t: MedtechServer
  const count = async () => (await t.call('ma', 'GET', '/api/medtech-projects?$limit=0')).body.total as number
  beforeAll(async () => {
    t = await startMedtech(driver)
    await t.call('ma', 'POST', '/api/archive-titles', {
      staffId: t.user.op1.id,
      recordType: 'qualification',
      title: ['physician', '232'],
      grade: 'vice_senior',
      obtainedDate: '2020-01-01'
    })
  }, 120_000)
  afterAll(() => t.close())

  it('requires the novelty-search report for levels 1–2 and the three certificates for drugs and devices, naming each field', async () => {
    const before = await count()
    const res = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, { level: '1', involvesDrugOrDevice: true })
    )
    expect(res.status).toBe(400)
    expect(fields(res)).toEqual([
      'businessLicence',
      'marketingApproval',
      'noveltyReport',
      'productionLicence'
    ])
    expect(res.body.errors[0].reason).toMatch(/必填 \(required\)/)
    const level3 = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, {
        level: '3',
        involvesDrugOrDevice: true,
        productionLicence: [await t.upload('applicant')]
      })
    )
    expect(fields(level3)).toEqual(['businessLicence', 'marketingApproval'])
    expect(await count()).toBe(before)
  })

  it('refuses a missing required section or leader field by name', async () => {
    const data = await application(t)
    delete data.qualityControl
    const res = await t.call('applicant', 'POST', '/api/medtech-projects', {
      ...data,
      leaderMobile: '12345',
      level: '9'
    })
    expect(res.status).toBe(400)
    expect(fields(res)).toEqual(['leaderMobile', 'level', 'qualityControl'])
  })

  it('checks each main operator against the minimum title, by the archive where it has one, naming the row', async () => {
    const before = await count()
    const low = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, {
        members: [
          { userId: t.user.applicant.id, role: 'operator' },
          { userId: t.user.junior.id, role: 'operator' }
        ]
      })
    )
    expect(low.status).toBe(400)
    expect(low.body.errors).toEqual([
      { field: 'members.1.userId', reason: expect.stringMatching(/副高以上.*初级\(师\).*账号职称/) }
    ])
    const none = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, { members: [{ userId: t.user.junior.id, role: 'assistant' }] })
    )
    expect(none.body.errors).toEqual([
      { field: 'members', reason: expect.stringContaining('至少需要一名主要操作人员') }
    ])
    expect(await count()).toBe(before)
    // Many at once: each item is checked, and none is stored.
    const many = await t.call('applicant', 'POST', '/api/medtech-projects', [
      await application(t),
      await application(t, {
        members: [{ userId: t.user.junior.id, role: 'operator' }],
        evaluationDecision: 'convert'
      })
    ])
    expect(many.status).toBe(400)
    expect(fields(many)).toEqual(['1.evaluationDecision'])
    const manyTeam = await t.call('applicant', 'POST', '/api/medtech-projects', [
      await application(t),
      await application(t, { members: [{ userId: t.user.junior.id, role: 'operator' }] })
    ])
    expect(fields(manyTeam)).toEqual(['1.members.0.userId'])
    expect(await count()).toBe(before)
    // op1's account title is junior, but the archive records 副主任医师: accepted.
    const byArchive = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, { members: [{ userId: t.user.op1.id, role: 'operator' }] })
    )
    expect(byArchive.status).toBe(201)
    // A later edit that lowers the team below the rule is refused as well.
    const edit = await t.call('applicant', 'PATCH', `/api/medtech-projects/${byArchive.body.id}`, {
      minTitle: 'senior'
    })
    expect(edit.status).toBe(400)
    expect(fields(edit)).toEqual(['members.0.userId'])
  })

  it("keeps the fields the system maintains out of clients' reach", async () => {
    const res = await t.call('applicant', 'POST', '/api/medtech-projects', {
      ...(await application(t)),
      startedAt: '2020-01-01',
      totalCases: 99
    })
    expect(res.status).toBe(403)
    expect(res.body.data.fields.sort()).toEqual(['startedAt', 'totalCases'])
    const created = await t.call('applicant', 'POST', '/api/medtech-projects', await application(t))
    expect(
      (await t.call('applicant', 'PATCH', `/api/medtech-projects/${created.body.id}`, { state: 'converted' }))
        .status
    ).toBe(403)
    // Sending back what was read is not a change.
    expect(
      (
        await t.call('applicant', 'PATCH', `/api/medtech-projects/${created.body.id}`, {
          name: '改名',
          state: created.body.state ?? null
        })
      ).status
    ).toBe(200)
    const early = await t.call('applicant', 'PATCH', `/api/medtech-projects/${created.body.id}`, {
      evaluationDecision: 'convert'
    })
    expect(early.status).toBe(400)
    expect(fields(early)).toEqual(['evaluationDecision'])
    expect(
      (await t.call('ma', 'GET', `/api/medtech-projects/${created.body.id}`)).body.evaluationDecision
    ).toBeUndefined()
  })

  it('lets people see only the applications in their scope, and no tracking report enters except through the task', async () => {
    const created = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, { name: '范围项目' })
    )
    expect((await t.call('other', 'GET', `/api/medtech-projects/${created.body.id}`)).status).toBe(404)
    expect((await t.call('head', 'GET', `/api/medtech-projects/${created.body.id}`)).status).toBe(200)
    expect(
      (await t.call('other', 'PATCH', `/api/medtech-projects/${created.body.id}`, { name: 'x' })).status
    ).toBe(404)
    expect((await t.call('', 'GET', '/api/medtech-projects')).status).toBe(401)
    const direct = await t.call('applicant', 'POST', '/api/medtech-reports', {
      flowRecordId: created.body.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      cases: 1,
      cured: 1,
      improved: 0,
      complications: 0,
      adverseEvents: 0,
      indicationsFollowed: true
    })
    expect(direct.status).toBe(403)
    expect((await t.call('ma', 'GET', '/api/medtech-reports')).body.total).toBe(0)
    // Conversion rules: everyone reads, only medical affairs edits.
    expect((await t.call('other', 'GET', '/api/medtech-rules')).body.data).toEqual([
      expect.objectContaining({ key: 'default', periodMonths: 12, minCases: 10, maxComplicationRate: 5 })
    ])
    const rule = (await t.call('ma', 'GET', '/api/medtech-rules')).body.data[0]
    expect((await t.call('other', 'PATCH', `/api/medtech-rules/${rule.id}`, { minCases: 1 })).status).toBe(
      403
    )
    expect((await t.call('ma', 'PATCH', `/api/medtech-rules/${rule.id}`, { minCases: 20 })).status).toBe(200)
  })
})
