import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import {
  application,
  GOOD_SCORES,
  project,
  report,
  startMedtech,
  step,
  toTracking,
  type MedtechServer,
  type Rec
} from './support.js'

describe.each(DRIVERS)('new technology flow on %s', (driver) => {
  let t: MedtechServer
  beforeAll(async () => {
    t = await startMedtech(driver)
    // op1's account says 医师 (junior); the archive records an associate-senior title.
    await t.call('ma', 'POST', '/api/archive-titles', {
      staffId: t.user.op1.id,
      recordType: 'qualification',
      title: ['physician', '232'],
      grade: 'vice_senior',
      obtainedDate: '2020-01-01'
    })
  }, 120_000)
  afterAll(() => t.close())

  it('goes from application through ethics, scoring without own-department experts, and approval to start, granting the operators', async () => {
    const created = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, {
        level: '2',
        noveltyReport: [await t.upload('applicant', 'novelty.pdf')],
        members: [
          { userId: t.user.applicant.id, role: 'operator' },
          { userId: t.user.op1.id, role: 'operator' }
        ]
      })
    )
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(
      (
        await t.call('applicant', 'POST', '/api/flows/start', {
          flowKey: 'medtech-new-tech',
          collection: 'medtech_projects',
          recordId: id
        })
      ).status
    ).toBe(201)
    await step(t, 'head', id)
    await step(t, 'ma', id)
    expect((await project(t, id)).state).toBe('reviewing:ethics') // level 2 needs the ethics committee
    await step(t, 'ethic', id)
    expect((await project(t, id)).state).toBe('reviewing:panel')
    expect(await t.todo('e4', id)).toEqual([]) // the applicant's own department is excluded
    for (const e of ['e1', 'e2', 'e3']) await step(t, e, id, { action: 'score', scores: GOOD_SCORES })
    expect((await project(t, id)).state).toBe('reviewing:approval')
    await step(t, 'pres', id)
    const started = await project(t, id)
    expect(started.state).toBe('reviewing:tracking')
    expect(started.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(started.nextReportDue > started.startedAt).toBe(true)
    expect(started.authorization).toMatchObject({ status: 'granted' })
    expect(started.authorization.ids).toHaveLength(2)
    // Each operator finds the authorization in their own archive, written under the president.
    const mine = await t.call('op1', 'GET', `/api/archive-authorizations?sourceId=${id}`)
    expect(mine.body.data).toEqual([
      expect.objectContaining({
        staffId: t.user.op1.id,
        type: 'new_technology',
        source: 'new_technology',
        status: 'valid',
        item: '经皮穿刺椎体成形术'
      })
    ])
    const history = await t.call(
      'ma',
      'GET',
      `/api/history?collection=archive_authorizations&recordId=${mine.body.data[0].id}`
    )
    expect(history.body.data ?? history.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'create', actorId: t.user.pres.id })])
    )
  }, 120_000)

  it('ends a project the panel scores below the pass mark, with no authorization', async () => {
    const created = await t.call(
      'applicant',
      'POST',
      '/api/medtech-projects',
      await application(t, { name: '低分项目' })
    )
    const id = created.body.id
    await t.call('applicant', 'POST', '/api/flows/start', {
      flowKey: 'medtech-new-tech',
      collection: 'medtech_projects',
      recordId: id
    })
    await step(t, 'head', id)
    await step(t, 'ma', id)
    expect((await project(t, id)).state).toBe('reviewing:panel') // level 3, not restricted: no ethics step
    const low = {
      innovation: 5,
      maturity: 5,
      safety: 10,
      feasibility: 10,
      benefit: 3,
      ethics: 2,
      documents: 2
    }
    for (const e of ['e1', 'e2', 'e3']) await step(t, e, id, { action: 'score', scores: low })
    const after = await project(t, id)
    expect(after.state).toBe('rejected')
    expect(after.startedAt).toBeUndefined()
    expect((await t.call('ma', 'GET', `/api/archive-authorizations?sourceId=${id}`)).body.total).toBe(0)
  }, 120_000)

  it('asks for a tracking report every N months, checks each report, keeps totals, and loops back after an extension to its date', async () => {
    const p = await toTracking(t, { name: '追踪项目' })
    const bad = await t.act('applicant', {
      taskId: (await t.todo('applicant', p.id))[0].id,
      action: 'submit',
      data: report({ cured: 10, improved: 5, complications: 1 })
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: Rec) => e.field).sort()).toEqual(['eventDescription', 'improved'])
    expect((await t.call('ma', 'GET', `/api/medtech-reports?flowRecordId=${p.id}`)).body.total).toBe(0)
    await step(t, 'applicant', p.id, { action: 'submit', data: report() })
    let now = await project(t, p.id)
    expect(now).toMatchObject({
      state: 'reviewing:tracking',
      reportCount: 1,
      totalCases: 12,
      totalCured: 8,
      totalImproved: 3
    })
    expect(await t.todo('applicant', p.id)).toEqual([]) // the next report is asked for later
    const stored = (await t.call('applicant', 'GET', `/api/medtech-reports?flowRecordId=${p.id}`)).body.data
    expect(stored).toEqual([expect.objectContaining({ cases: 12, cureImproveRate: 91.67 })])
    // Seven months later the sweep asks the leader again.
    const report2 = await t.server.flows.timers.sweep(new Date(Date.now() + 7 * 31 * 86_400_000))
    expect(report2.repeated).toBe(1)
    expect(await t.todo('applicant', p.id)).toHaveLength(1)
    await step(t, 'applicant', p.id, {
      action: 'submit',
      data: report({
        periodStart: '2026-12-01',
        periodEnd: '2027-05-31',
        cases: 4,
        cured: 2,
        improved: 1,
        complications: 1,
        eventDescription: '术后发热1例'
      }),
      final: true
    })
    now = await project(t, p.id)
    expect(now).toMatchObject({
      state: 'reviewing:evaluation',
      reportCount: 2,
      totalCases: 16,
      totalComplications: 1
    })
    // Only the evaluator writes the decision, and only a known one.
    expect(
      (await t.call('applicant', 'PATCH', `/api/medtech-projects/${p.id}`, { evaluationDecision: 'convert' }))
        .status
    ).toBe(409)
    const wrong = await t.call('ma', 'PATCH', `/api/medtech-projects/${p.id}`, {
      evaluationDecision: 'extend'
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'extendUntil' })])
    expect(
      (
        await t.call('ma', 'PATCH', `/api/medtech-projects/${p.id}`, {
          evaluationDecision: 'extend',
          extendUntil: '2027-12-31',
          evaluationOpinion: '延期观察'
        })
      ).status
    ).toBe(200)
    await step(t, 'ma', p.id)
    now = await project(t, p.id)
    expect(now.state).toBe('reviewing:tracking')
    expect(now.evaluationDecision).toBeNull()
    expect(now.nextReportDue).toBe('2027-12-31')
    expect(now.evaluations).toEqual([
      expect.objectContaining({
        decision: 'extend',
        extendUntil: '2027-12-31',
        opinion: '延期观察',
        by: t.user.ma.id
      })
    ])
    expect(await t.todo('applicant', p.id)).toHaveLength(1)
  }, 180_000)

  it('stops a project on the stop decision and revokes the authorizations it granted', async () => {
    const p = await toTracking(t, { name: '中止项目' })
    await step(t, 'applicant', p.id, { action: 'submit', data: report(), final: true })
    expect(
      (await t.call('ma', 'PATCH', `/api/medtech-projects/${p.id}`, { evaluationDecision: 'stop' })).status
    ).toBe(200)
    await step(t, 'ma', p.id)
    const now = await project(t, p.id)
    expect(now.state).toBe('stopped')
    const auths = (await t.call('ma', 'GET', `/api/archive-authorizations?sourceId=${p.id}`)).body.data
    expect(auths.map((a: Rec) => a.status)).toEqual(['revoked'])
  }, 180_000)

  it('says so on the project when the archives plugin is disabled at the start', async () => {
    expect((await t.call('admin', 'PATCH', '/api/plugins/archives', { enabled: false })).status).toBe(200)
    try {
      const p = await toTracking(t, { name: '档案停用时开展' })
      expect(p.state).toBe('reviewing:tracking')
      expect(p.authorization).toMatchObject({ status: 'archives_unavailable', ids: [] })
    } finally {
      await t.call('admin', 'PATCH', '/api/plugins/archives', { enabled: true })
    }
  }, 180_000)
})
