import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { download, readXlsx, rowsOf } from '../../../core/test/transfer/support.js'
import { REMINDER_JOB } from '../src/reminders.js'
import { caseBody, jobDone, startRtServer, type Rec, type RtServer } from './support.js'

/**
 * The case registry, the filing clock on the hospital's calendar, the reminder job, the
 * indicators and the report export. Dates are in 2026, around 中秋 and 国庆 (seeded calendar).
 */
describe.each(DRIVERS)('restricted technologies: cases, filings, indicators on %s', (driver) => {
  let t: RtServer
  beforeAll(async () => {
    t = await startRtServer(driver)
  }, 120_000)
  afterAll(() => t?.close())

  const filing = async (code: string) =>
    (await t.call('ma', 'GET', `/api/restricted-tech-filings?technologyCode=${code}`)).body.data[0] as Rec
  const notes = async (who: string) =>
    ((await t.call(who, 'GET', '/api/notifications?$limit=50')).body.data as Rec[]).filter(
      (n) => n.kind === 'restricted_tech.filing_due'
    )

  it('registers cases with names filled in, refusing inconsistent ones field by field', async () => {
    const bad = await t.call(
      'sec',
      'POST',
      '/api/restricted-tech-cases',
      caseBody(t, 'G11', 'A-1', '2026-09-23', { outcome: 'died', complication: true })
    )
    expect(bad.status).toBe(400)
    expect((bad.body.errors as Rec[]).map((e) => e.field)).toContain('complicationDesc')
    const first = await t.call(
      'sec',
      'POST',
      '/api/restricted-tech-cases',
      caseBody(t, 'G11', 'A-1', '2026-09-23')
    )
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      technologyName: '体外膜肺氧合（ECMO）技术',
      operatorNames: 'applicant医生(主要操作者)、op2医生',
      deptId: t.dept.S1
    })
    expect(
      (await t.call('sec', 'POST', '/api/restricted-tech-cases', caseBody(t, 'G11', 'A-1', '2026-09-24')))
        .status
    ).toBe(409)
    expect((await t.call('sec', 'GET', '/api/restricted-tech-applications')).status).toBe(200)
    expect((await t.call('e1', 'GET', '/api/restricted-tech-cases')).status).toBe(403)
  })

  it('starts the filing clock at the first case: 15 working days on the holiday calendar', async () => {
    // 23 Sep (Wed): 24 Sep, 28–30 Sep, 8–10 Oct (10th a make-up Saturday), 12–16, 19–21 Oct → the 15th is 21 Oct.
    const today = new Date().toISOString().slice(0, 10)
    expect(await filing('G11')).toMatchObject({
      firstCaseDate: '2026-09-23',
      deadline: '2026-10-21',
      status: today > '2026-10-21' ? 'overdue' : 'pending'
    })
    // An earlier case registered later moves the clock back: 18 Sep (Fri) → 20 Sep (Sun, make-up) counts → 15 Oct.
    const earlier = await t.call(
      'sec',
      'POST',
      '/api/restricted-tech-cases',
      caseBody(t, 'G11', 'A-0', '2026-09-18', { outcome: 'died', death: true, deathDate: '2026-09-20' })
    )
    expect([earlier.status, earlier.body.errors ?? earlier.body.message]).toEqual([201, undefined])
    expect(await filing('G11')).toMatchObject({ firstCaseDate: '2026-09-18', deadline: '2026-10-15' })
    expect((await t.call('ma', 'GET', '/api/restricted-tech-filings')).body.total).toBe(1)
  })

  it('keeps the clock on the earliest case when a case is corrected or removed', async () => {
    const d1 = (
      await t.call('sec', 'POST', '/api/restricted-tech-cases', caseBody(t, 'G09', 'D-1', '2026-03-02'))
    ).body
    const d2 = (
      await t.call('sec', 'POST', '/api/restricted-tech-cases', caseBody(t, 'G09', 'D-2', '2026-03-09'))
    ).body
    expect(await filing('G09')).toMatchObject({
      firstCaseDate: '2026-03-02',
      firstCaseId: d1.id,
      deadline: '2026-03-23'
    })
    expect((await t.call('sec', 'DELETE', `/api/restricted-tech-cases/${d1.id}`)).status).toBe(200)
    expect(await filing('G09')).toMatchObject({
      firstCaseDate: '2026-03-09',
      firstCaseId: d2.id,
      deadline: '2026-03-30'
    })
    await t.call('sec', 'PATCH', `/api/restricted-tech-cases/${d2.id}`, { procedureDate: '2026-03-16' })
    expect(await filing('G09')).toMatchObject({ firstCaseDate: '2026-03-16', deadline: '2026-04-07' })
    await t.call('sec', 'DELETE', `/api/restricted-tech-cases/${d2.id}`)
    expect(await filing('G09')).toBeUndefined()
  })

  it('moves open deadlines when the hospital edits its calendar, refusing a make-up day on a weekday', async () => {
    const weekday = await t.call('ma', 'POST', '/api/workday-calendar', {
      date: '2026-10-13',
      kind: 'workday',
      name: '错误'
    })
    expect(weekday.status).toBe(400)
    expect(weekday.body.errors[0].field).toBe('date')
    const holiday = await t.call('ma', 'POST', '/api/workday-calendar', {
      date: '2026-10-13',
      kind: 'holiday',
      name: '院庆'
    })
    expect(holiday.status).toBe(201)
    expect((await filing('G11')).deadline).toBe('2026-10-16')
    expect(
      (await t.call('head', 'POST', '/api/workday-calendar', { date: '2026-10-14', kind: 'holiday' })).status
    ).toBe(403)
    expect(
      (
        await t.call('applicant', 'PATCH', `/api/restricted-tech-filings/${(await filing('G11')).id}`, {
          filedDate: '2026-10-01',
          authority: 'x'
        })
      ).status
    ).toBe(403)
  })

  it('reminds the responsible people through the job before the deadline and once overdue', async () => {
    // 9 Oct: 10 (Sat, worked), 12, 14, 15, 16 → five working days left.
    const first = await jobDone(t, await t.server.jobs.queue.enqueue(REMINDER_JOB, { today: '2026-10-09' }))
    expect(first).toMatchObject({ state: 'completed', result: { sent: 1 } })
    const [note] = await notes('ma')
    expect(note.title['zh-CN']).toBe('「体外膜肺氧合（ECMO）技术」距备案截止还有 5 个工作日（2026-10-16）')
    expect(note.link).toBe(`/records/restricted-tech-filings/${(await filing('G11')).id}`)
    // Who registered the first case is told too; an unrelated colleague is not.
    expect(await notes('sec')).toHaveLength(1)
    expect(await notes('outsider')).toHaveLength(0)
    expect(
      (await jobDone(t, await t.server.jobs.queue.enqueue(REMINDER_JOB, { today: '2026-10-09' }))).result
    ).toEqual({ sent: 0 })
    expect(
      (await jobDone(t, await t.server.jobs.queue.enqueue(REMINDER_JOB, { today: '2026-10-16' }))).result
    ).toEqual({ sent: 1 })
    expect((await notes('ma'))[0].title['zh-CN']).toContain('今日为备案截止日')
    expect(
      (await jobDone(t, await t.server.jobs.queue.enqueue(REMINDER_JOB, { today: '2026-10-19' }))).result
    ).toEqual({ sent: 1 })
    expect((await notes('ma'))[0].title['zh-CN']).toContain('备案已逾期')
    expect(await filing('G11')).toMatchObject({
      status: 'overdue',
      remindersSent: expect.arrayContaining(['d5', 'd0', 'overdue'])
    })
  })

  it('computes mortality, complication and filing completion per technology on known data, within scope', async () => {
    await t.call(
      'sec',
      'POST',
      '/api/restricted-tech-cases',
      caseBody(t, 'G11', 'A-2', '2026-10-20', { complication: true, complicationDesc: '穿刺点出血' })
    )
    await t.call(
      'sec',
      'POST',
      '/api/restricted-tech-cases',
      caseBody(t, 'G11', 'A-3', '2026-11-02', { complication: true, complicationDesc: '下肢缺血' })
    )
    await t.call('sec', 'POST', '/api/restricted-tech-cases', caseBody(t, 'G07', 'C-9', '2025-12-30'))
    await t.call(
      'outsider',
      'POST',
      '/api/restricted-tech-cases',
      caseBody(t, 'G08', 'B-1', '2026-11-03', { operators: [{ userId: t.users.outsider.id, role: 'main' }] })
    )
    // G11 filed on its deadline day; G08 not filed yet.
    const filed = await t.call('ma', 'PATCH', `/api/restricted-tech-filings/${(await filing('G11')).id}`, {
      filedDate: '2026-10-16',
      authority: '市卫生健康委员会',
      filingNo: 'XZ-001'
    })
    expect(filed.body.status).toBe('filed')
    const all = (await t.call('ma', 'GET', '/api/restricted-tech-indicators?year=2026')).body
    const g11 = all.technologies.find((x: Rec) => x.code === 'G11')
    // 2026 G11 cases: A-0 (death), A-1, A-2 (complication), A-3 (complication) → 4 cases.
    expect(g11).toMatchObject({
      cases: 4,
      deaths: 1,
      complications: 2,
      mortalityRate: 25,
      complicationRate: 50,
      filing: { filedDate: '2026-10-16', status: 'filed' }
    })
    expect(g11.byMonth).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 1, 0])
    expect(all.technologies.find((x: Rec) => x.code === 'G08')).toMatchObject({
      cases: 1,
      mortalityRate: 0,
      filing: { firstCaseDate: '2026-11-03', status: expect.stringMatching(/pending|overdue/) }
    })
    expect(all.totals).toMatchObject({
      cases: 5,
      deaths: 1,
      complications: 2,
      mortalityRate: 20,
      complicationRate: 40,
      toFile: 2,
      filed: 1,
      filingCompletionRate: 50
    })
    const surgery = (
      await t.call('ma', 'GET', `/api/restricted-tech-indicators?year=2026&deptId=${t.dept.S}`)
    ).body
    expect(surgery.technologies.map((x: Rec) => x.code)).toEqual(['G11'])
    expect((await t.call('ma', 'GET', '/api/restricted-tech-indicators?year=2025')).body.totals.cases).toBe(1)
    // A staff member sees the indicators of the cases they may read: their own.
    expect(
      (await t.call('outsider', 'GET', '/api/restricted-tech-indicators?year=2026')).body.totals
    ).toMatchObject({ cases: 1 })
    expect((await t.call('e1', 'GET', '/api/restricted-tech-indicators')).status).toBe(403)
    expect((await t.call(null, 'GET', '/api/restricted-tech-indicators')).status).toBe(401)
    const bad = await t.call('ma', 'GET', '/api/restricted-tech-indicators?year=20x6')
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'year'])
  })

  it('exports the cases in the national platform layout through the audited export job', async () => {
    const started = await t.call('ma', 'POST', '/api/restricted-tech-export', { year: 2026 })
    expect(started.status).toBe(201)
    expect(started.body.total).toBe(5)
    const job = await jobDone(t, started.body.jobId)
    expect(job.state).toBe('completed')
    const file = await download(t, (t.auth.ma.authorization as string).slice(7), (job.result as Rec).fileId)
    const rows = rowsOf((await readXlsx(file.bytes)).worksheets[0])
    expect(rows[0]).toEqual([
      '限制类技术',
      '技术名称',
      '病案号',
      '患者姓名',
      '性别',
      '年龄',
      '主要诊断',
      '手术/操作编码',
      '治疗日期',
      '所属科室',
      '操作人员姓名',
      '转归',
      '发生并发症',
      '并发症情况',
      '死亡',
      '死亡日期',
      '死亡原因',
      '已上报不良事件'
    ])
    expect(rows).toHaveLength(6)
    // Sorted by technology then date: G08 first, then G11 from 18 Sep.
    expect(rows.slice(1).map((r) => r[2])).toEqual(['B-1', 'A-0', 'A-1', 'A-2', 'A-3'])
    expect(rows[2].slice(0, 5)).toEqual([
      '体外膜肺氧合（ECMO）技术',
      '体外膜肺氧合（ECMO）技术',
      'A-0',
      '张三丰',
      '男'
    ])
    expect(rows[2][11]).toBe('死亡')
    expect(rows[2][14]).toBe('是')
    const audit = (await t.server.app
      .service('audit')
      .find({ query: { action: 'export', collection: 'restricted_tech_cases' } })) as { data: Rec[] }
    expect(audit.data[0]).toMatchObject({
      actorId: t.users.ma.id,
      diff: expect.objectContaining({ rows: 5 })
    })
    // The department secretary exports their department only; staff may not export at all.
    const dept = await t.call('sec', 'POST', '/api/restricted-tech-export', { year: 2026 })
    expect(dept.body.total).toBe(4)
    expect((await t.call('outsider', 'POST', '/api/restricted-tech-export', { year: 2026 })).status).toBe(403)
    expect((await t.call('e1', 'POST', '/api/restricted-tech-export', {})).status).toBe(403)
    expect((await t.call('ma', 'POST', '/api/restricted-tech-export', { year: 'next' })).status).toBe(400)
    const missing = await t.call('ma', 'POST', '/api/restricted-tech-export', {})
    expect([missing.status, missing.body.errors[0].field]).toEqual([400, 'year'])
  })

  it('counts every case of the year in the database, past the old page walk, within scope and without removed ones', async () => {
    // 1,203 cases in 2024: more than two pages of the 500-row walk the indicators used to do.
    const caseNo = (i: number) => `P-${i}`
    const rows = Array.from({ length: 1203 }, (_, i) => {
      const outsiders = i % 10 === 0
      return {
        technologyCode: i % 3 ? 'G11' : 'G08',
        caseNo: caseNo(i),
        procedureDate: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        outcome: i % 7 ? 'cured' : 'died',
        death: i % 7 === 0,
        complication: i % 5 === 0,
        ownerId: outsiders ? t.users.outsider.id : t.users.sec.id,
        deptId: outsiders ? t.dept.M1 : t.dept.S1
      }
    })
    const cases = t.server.app.service('restricted-tech-cases') as unknown as {
      _create(d: Rec[]): Promise<Rec[]>
      _remove(id: null, p: Rec): Promise<Rec[]>
    }
    await cases._create(rows)
    const removed = [caseNo(1), caseNo(2), caseNo(10)]
    await cases._remove(null, { query: { caseNo: { $in: removed } } })
    const live = rows.filter((r) => !removed.includes(r.caseNo))
    const expected = (list: Rec[]) => ({
      cases: list.length,
      deaths: list.filter((r) => r.death).length,
      complications: list.filter((r) => r.complication).length,
      byMonth: Array.from(
        { length: 12 },
        (_, m) => list.filter((r) => Number(r.procedureDate.slice(5, 7)) === m + 1).length
      )
    })
    const all = (await t.call('ma', 'GET', '/api/restricted-tech-indicators?year=2024')).body
    expect(all.totals).toMatchObject(expected(live))
    expect(all.technologies.map((x: Rec) => x.code)).toEqual(['G08', 'G11'])
    expect(all.technologies[1]).toMatchObject(expected(live.filter((r) => r.technologyCode === 'G11')))
    const surgery = (
      await t.call('ma', 'GET', `/api/restricted-tech-indicators?year=2024&deptId=${t.dept.S}`)
    ).body
    expect(surgery.totals).toMatchObject(expected(live.filter((r) => r.deptId === t.dept.S1)))
    // A staff member's figures count only the cases they may read: their own.
    const own = (await t.call('outsider', 'GET', '/api/restricted-tech-indicators?year=2024')).body
    expect(own.totals).toMatchObject(expected(live.filter((r) => r.ownerId === t.users.outsider.id)))
  })
})
