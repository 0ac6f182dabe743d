import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { EVALUATING } from '../src/evaluation.js'
import { TRACKING } from '../src/lifecycle.js'
import { project, report, startMedtech, step, toTracking, type MedtechServer, type Rec } from './support.js'

/** Time passes: the project started `months` ago (and its next report date with it, when given). */
async function backdate(
  t: MedtechServer,
  id: string,
  startedAt: string,
  nextReportDue?: string
): Promise<void> {
  await t.server.db.query(
    `UPDATE c_medtech_projects SET doc = jsonb_set(doc, '{startedAt}', to_jsonb($2::text)) WHERE id = $1`,
    [id, startedAt]
  )
  if (nextReportDue)
    await t.server.db.query(
      `UPDATE c_medtech_projects SET doc = jsonb_set(doc, '{nextReportDue}', to_jsonb($2::text)) WHERE id = $1`,
      [id, nextReportDue]
    )
}

describe.each(DRIVERS)('conversion to mature technology on %s', (driver) => {
  let t: MedtechServer
  let ready: Rec
  let tracking: Rec
  beforeAll(async () => {
    t = await startMedtech(driver)
    ready = await toTracking(t, { name: '甲项目' })
    await step(t, 'applicant', ready.id, {
      action: 'submit',
      data: report({ cases: 15, cured: 10, improved: 4 }),
      final: true
    })
    await backdate(t, ready.id, '2025-06-01')
    tracking = await toTracking(t, { name: '乙项目' })
    await step(t, 'applicant', tracking.id, {
      action: 'submit',
      data: report({ cases: 3, cured: 2, improved: 1 })
    })
    await backdate(t, tracking.id, '2025-06-01', '2026-01-01')
  }, 300_000)
  afterAll(() => t.close())

  it("lists the projects that meet their rule, with the checks, within the caller's scope", async () => {
    const list = (await t.call('ma', 'GET', '/api/medtech-candidates')).body
    expect(list.data.map((c: Rec) => c.name)).toEqual(['甲项目'])
    expect(list.data[0]).toMatchObject({
      ready: true,
      metrics: {
        eligible: true,
        cases: 15,
        complicationRate: 0,
        cureImproveRate: 93.33,
        rule: { periodMonths: 12, minCases: 10, source: { minCases: 'default' } }
      }
    })
    const all = (await t.call('ma', 'GET', '/api/medtech-candidates?all=true')).body.data
    const second = all.find((c: Rec) => c.name === '乙项目')
    expect(second.metrics.checks.filter((c: Rec) => !c.ok).map((c: Rec) => c.key)).toEqual(['cases'])
    expect((await t.call('other', 'GET', '/api/medtech-candidates?all=true')).body.total).toBe(0)
    expect((await t.call('', 'GET', '/api/medtech-candidates')).status).toBe(401)
  })

  it("uses a project's own rule over the hospital default", async () => {
    expect(
      (await t.call('ma', 'PATCH', `/api/medtech-projects/${tracking.id}`, { convMinCases: 3 })).status
    ).toBe(200)
    const list = (await t.call('ma', 'GET', '/api/medtech-candidates')).body.data
    const second = list.find((c: Rec) => c.name === '乙项目')
    expect(second).toMatchObject({
      ready: false,
      metrics: { eligible: true, rule: { minCases: 3, source: { minCases: 'project' } } }
    })
    // Still under tracking: there is no summary report to decide on yet.
    const early = await t.call('ma', 'POST', '/api/medtech-conversions', { projectId: tracking.id })
    expect(early.status).toBe(409)
    expect(early.body.data.reason).toBe('not_evaluating')
  })

  it('refuses a conversion by anyone but the evaluator, and one that breaks the rule', async () => {
    expect((await t.call('', 'POST', '/api/medtech-conversions', { projectId: ready.id })).status).toBe(401)
    expect(
      (await t.call('applicant', 'POST', '/api/medtech-conversions', { projectId: ready.id })).status
    ).toBe(403)
    expect((await t.call('other', 'POST', '/api/medtech-conversions', { projectId: ready.id })).status).toBe(
      404
    )
    const empty = await t.call('ma', 'POST', '/api/medtech-conversions', {})
    expect(empty.status).toBe(400)
    expect(empty.body.errors[0].field).toBe('projectId')
    expect(
      (await t.call('ma', 'PATCH', `/api/medtech-projects/${tracking.id}`, { convMinCases: 50 })).status
    ).toBe(200)
    const unmet = await t.call('ma', 'POST', '/api/medtech-conversions', { projectId: tracking.id })
    expect(unmet.status).toBe(409)
    expect(unmet.body.data.checks.map((c: Rec) => c.key)).toEqual(['cases'])
    expect((await project(t, ready.id)).state).toBe('reviewing:evaluation')
  })

  it('converts on confirmation: the flow ends, the catalogue gains the technology, and the decision is audited', async () => {
    const res = await t.call('ma', 'POST', '/api/medtech-conversions', {
      projectId: ready.id,
      comment: '符合条件'
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ state: 'converted', matureId: expect.any(String) })
    const p = await project(t, ready.id)
    expect(p).toMatchObject({
      state: 'converted',
      evaluationDecision: 'convert',
      evaluationOpinion: '符合条件',
      matureId: res.body.matureId
    })
    const entry = await t.call('other', 'GET', `/api/medtech-mature/${res.body.matureId}`)
    expect(entry.status).toBe(404) // another department's catalogue entry is outside a staff member's own scope
    const seen = (await t.call('ma', 'GET', '/api/medtech-mature?state=approved')).body.data
    expect(seen).toEqual([
      expect.objectContaining({
        name: '甲项目',
        source: 'conversion',
        projectId: ready.id,
        conversion: expect.objectContaining({ cases: 15, eligible: true, decidedBy: t.user.ma.id })
      })
    ])
    const history = (
      await t.call('ma', 'GET', `/api/history?collection=medtech_projects&recordId=${ready.id}`)
    ).body
    const entries = (history.data ?? history) as Rec[]
    expect(entries.some((e) => e.actorId === t.user.ma.id && e.diff?.evaluationDecision)).toBe(true)
    expect(
      entries.some((e) => e.action === 'flow' && e.diff?.action === 'approve' && e.actorId === t.user.ma.id)
    ).toBe(true)
    expect((await t.call('ma', 'POST', '/api/medtech-conversions', { projectId: ready.id })).status).toBe(409)
    expect(
      (await t.call('ma', 'GET', '/api/medtech-candidates')).body.data.map((c: Rec) => c.name)
    ).not.toContain('甲项目')
  })

  it('shows the overview by stage with reports due and overdue', async () => {
    const all = (await t.call('ma', 'GET', '/api/medtech-overview')).body
    expect(all.stages).toMatchObject({ tracking: 1, converted: 1, evaluation: 0 })
    expect(all.overdueCount).toBe(1)
    const overdue = (await t.call('ma', 'GET', '/api/medtech-overview?box=overdue')).body
    expect(overdue.data).toEqual([
      expect.objectContaining({
        name: '乙项目',
        report: 'overdue',
        nextReportDue: '2026-01-01',
        reportCount: 1
      })
    ])
    expect((await t.call('other', 'GET', '/api/medtech-overview')).body).toMatchObject({
      total: 0,
      overdueCount: 0
    })
    expect((await t.call('ma', 'GET', '/api/medtech-overview?box=x')).status).toBe(400)
    // Eleven reads on the caller's behalf, one authentication: the session is touched once.
    for (const sql of [
      'CREATE TABLE session_touches (n serial PRIMARY KEY)',
      `CREATE FUNCTION count_touch() RETURNS trigger LANGUAGE plpgsql AS
        'BEGIN INSERT INTO session_touches DEFAULT VALUES; RETURN NEW; END'`,
      'CREATE TRIGGER count_touch AFTER UPDATE ON _sessions FOR EACH ROW EXECUTE FUNCTION count_touch()'
    ])
      await t.server.db.query(sql)
    expect((await t.call('ma', 'GET', '/api/medtech-overview')).status).toBe(200)
    const { rows } = await t.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM session_touches')
    expect(rows[0].n).toBe(1)
    await t.server.db.query('DROP TRIGGER count_touch ON _sessions')
    expect((await t.call('', 'GET', '/api/medtech-overview')).status).toBe(401)
  })

  it('creates a mature technology directly and approves it through department and medical affairs', async () => {
    const data = {
      name: '腹腔镜胆囊切除术',
      dept: t.dept.S1,
      type: 'surgical',
      procedureCode: '51.2300',
      surgeryLevel: '3',
      description: '<p>成熟开展</p>'
    }
    expect(
      (await t.call('applicant', 'POST', '/api/medtech-mature', { ...data, source: 'conversion' })).status
    ).toBe(403)
    const bad = await t.call('applicant', 'POST', '/api/medtech-mature', { ...data, procedureCode: '5123' })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: Rec) => e.field)).toEqual(['procedureCode'])
    const created = await t.call('applicant', 'POST', '/api/medtech-mature', data)
    expect(created.status).toBe(201)
    expect(
      (
        await t.call('applicant', 'POST', '/api/flows/start', {
          flowKey: 'medtech-mature',
          collection: 'medtech_mature',
          recordId: created.body.id
        })
      ).status
    ).toBe(201)
    expect((await t.call('ma', 'GET', `/api/medtech-mature/${created.body.id}`)).body.state).toBe(
      'reviewing:dept'
    )
    await step(t, 'head', created.body.id)
    await step(t, 'ma', created.body.id)
    const names = (
      await t.call('ma', 'GET', '/api/medtech-mature?state=approved&$sort[name]=1')
    ).body.data.map((m: Rec) => m.name)
    expect(names).toEqual(['甲项目', '腹腔镜胆囊切除术'].sort())
  })

  it('judges every tracked project the caller may read in one query, past the old page walk, removed ones left out', async () => {
    // 450 projects: more than two pages of the 200-row walk the list used to do.
    const old = '2024-03-15'
    const figures = [
      [0, 0],
      [9, 0],
      [10, 0],
      [20, 1],
      [199, 10],
      [201, 10]
    ]
    const rows = Array.from({ length: 450 }, (_, i) => ({
      name: `批量项目${String(i).padStart(3, '0')}`,
      state: i % 4 === 0 ? EVALUATING : TRACKING,
      startedAt: i % 5 === 0 ? new Date().toISOString().slice(0, 10) : old,
      totalCases: figures[i % 6][0],
      totalComplications: figures[i % 6][1],
      ...(i % 11 === 0 ? { convMinCases: 5 } : {}),
      ownerId: i % 10 === 4 ? t.user.other.id : t.user.ma.id,
      deptId: i % 10 === 4 ? t.dept.M : t.dept.F
    }))
    const pages = async (who: string, all: boolean) => {
      // Only this test's projects: the ones the other tests leave depend on which of them ran.
      const names: string[] = []
      let total = 0
      for (let skip = 0; skip === 0 || skip < total; skip += 100) {
        const page = (await t.call(who, 'GET', `/api/medtech-candidates?all=${all}&$limit=100&$skip=${skip}`))
          .body
        total = page.total
        names.push(...page.data.map((c: Rec) => c.name).filter((n: string) => n.startsWith('批量项目')))
      }
      return { total, names }
    }
    const before = { ma: (await pages('ma', false)).total, all: (await pages('ma', true)).total }
    const projects = t.server.app.service('medtech-projects') as unknown as {
      _create(d: Rec[]): Promise<Rec[]>
      _remove(id: null, p: Rec): Promise<Rec[]>
    }
    await projects._create(rows)
    const removed = [rows[2].name, rows[3].name]
    await projects._remove(null, { query: { name: { $in: removed } } })
    const live = rows.filter((r) => !removed.includes(r.name))
    // The hospital default: 12 months, 10 cases, complications at most 5% (two decimals).
    const eligible = (r: Rec) =>
      r.startedAt === old &&
      r.totalCases > 0 &&
      r.totalCases >= (r.convMinCases ?? 10) &&
      Math.round((r.totalComplications / r.totalCases) * 10_000) / 100 <= 5
    // Ready (at evaluation) first, then those meeting their rule, then by name.
    const rank = (r: Rec) => (r.state === EVALUATING ? 2 : 0) + (eligible(r) ? 1 : 0)
    const inOrder = (list: Rec[]) =>
      [...list].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name)).map((r) => r.name)
    const expected = inOrder(live.filter(eligible))
    expect(expected.length).toBeGreaterThan(100)
    expect(await pages('ma', false)).toEqual({ total: before.ma + expected.length, names: expected })
    expect((await pages('ma', true)).total).toBe(before.all + live.length)
    // A staff member judges only the projects they may read: their own.
    const theirs = live.filter((r) => r.ownerId === t.user.other.id)
    expect(await pages('other', true)).toEqual({ total: theirs.length, names: inOrder(theirs) })
  })
})
