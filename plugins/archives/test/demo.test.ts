import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, login } from '../../../tests/support/auth.js'
import { DEMO_PASSWORD } from '../../../seeds/demo-hospital.js'
import { FAST, waitFor, waitForState } from '../../../core/test/jobs/helpers.js'
import { finished, readXlsx, rowsOf, upload, xlsx } from '../../../core/test/transfer/support.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../src/index.js'
import { ARCHIVE_MODULES } from '../src/modules/index.js'

type Rec = Record<string, any>

/**
 * The demo hospital with its archives (as `npm start` seeds it), and what runs on it: the
 * staff directory, the daily refresh of 工龄, batch import per module.
 */
describe.each(DRIVERS)('demo archives, directory, refresh and import on %s', (driver) => {
  let t: TestServer
  let dir: string
  let seedMs = 0
  const auth: Record<string, Record<string, string>> = {}
  const token: Record<string, string> = {}
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'medaffairs-archives-demo-'))
    const started = Date.now()
    t = await startTestServer(driver, [dictionaries, archives], { seed: 'demo', jobs: FAST, files: { dir } })
    seedMs = Date.now() - started
    for (const name of ['yisheng', 'yiwu', 'renshi', 'kemishu']) {
      token[name] = await login(t, name, DEMO_PASSWORD)
      auth[name] = bearer(token[name])
      ids[name] = (await t.api('GET', '/api/account', undefined, auth[name])).body.user.id
    }
  }, 240_000)
  afterAll(async () => {
    await t?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it("fills every module of the demo doctor's profile, with 工龄 computed, quickly", async () => {
    expect(seedMs).toBeLessThan(120_000)
    const profile = (await t.api('GET', `/api/archive-profile/${ids.yisheng}`, undefined, auth.yisheng)).body
    expect(profile.department).toMatchObject({ name: '心内一病区' })
    const empty = (profile.modules as Rec[]).filter((m) => !m.entries.length).map((m) => m.key)
    expect(empty).toEqual([])
    // 工龄 is filled by the refresh job the seed queues.
    const basic = await waitFor(
      async () => {
        const entry = (
          await t.api('GET', `/api/archive-basic-info?staffId=${ids.yisheng}`, undefined, auth.yisheng)
        ).body.data[0]
        return typeof entry.seniorityTotal === 'number' ? entry : undefined
      },
      60_000,
      '工龄 to be computed'
    )
    expect(basic.seniorityTotal).toBeGreaterThan(0)
    expect(basic.seniorityHere).toBeLessThanOrEqual(basic.seniorityTotal)
  })

  it("lists the demo doctor's licence as expiring for medical affairs", async () => {
    const list = (await t.api('GET', '/api/expiring?days=90', undefined, auth.yiwu)).body.data as Rec[]
    expect(
      list.some(
        (e) => e.staffId === ids.yisheng && e.module === 'certificates' && e.daysLeft > 0 && e.daysLeft <= 60
      )
    ).toBe(true)
  })

  it('finds people by name, number and pinyin, within a department tree, keeping left and retired staff apart', async () => {
    const find = async (query: string, who = 'yiwu') =>
      (await t.api('GET', `/api/staff-directory?${query}`, undefined, auth[who])).body
    const active = await find('$limit=5')
    const former = await find('status=former&$limit=100')
    expect(active.total).toBeGreaterThan(200)
    expect(former.total).toBeGreaterThan(0)
    expect(former.data.every((p: Rec) => ['left', 'retired'].includes(p.staffStatus))).toBe(true)
    expect(active.data.every((p: Rec) => p.staffStatus === 'active')).toBe(true)
    expect((await find('q=yisheng')).data.map((p: Rec) => p.username)).toEqual(['yisheng'])
    expect((await find(`q=${encodeURIComponent('心内科医生')}`)).data.map((p: Rec) => p.username)).toEqual([
      'yisheng'
    ])
    expect((await find('q=xnkys')).data.map((p: Rec) => p.username)).toContain('yisheng')
    const depts = (await t.api('GET', '/api/departments?code=IM01', undefined, auth.yiwu)).body
    const cardiology = (depts.data ?? depts)[0]
    const inCardio = await find(`deptId=${cardiology.id}&$limit=100`)
    expect(inCardio.data.map((p: Rec) => p.username)).toEqual(expect.arrayContaining(['yisheng', 'kemishu']))
    expect(
      inCardio.data.every((p: Rec) => ['心血管内科', '心内一病区', '心导管室'].includes(p.deptName['zh-CN']))
    ).toBe(true)
    // A staff member sees only themselves; bad parameters are refused by name.
    expect((await find('$limit=100', 'yisheng')).data.map((p: Rec) => p.username)).toEqual(['yisheng'])
    const bad = await t.api('GET', '/api/staff-directory?status=gone', undefined, auth.yiwu)
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([{ field: 'status', reason: 'active | former' }])
    expect((await t.api('GET', '/api/staff-directory')).status).toBe(401)
  })

  it('refreshes 工龄 with the calendar in the daily job', async () => {
    const before = (
      await t.api('GET', `/api/archive-basic-info?staffId=${ids.yisheng}`, undefined, auth.yiwu)
    ).body.data[0]
    const queue = t.server.jobs.queue
    const jobId = await queue.enqueue('definitions.refresh-computed', {
      today: `${new Date().getUTCFullYear() + 10}-12-31`
    })
    const done = await waitForState(queue, jobId, ['completed', 'failed'], 60_000)
    expect(done.state, done.error ?? '').toBe('completed')
    expect((done.result as Rec).changed).toBeGreaterThan(200)
    const after = (await t.api('GET', `/api/archive-basic-info?staffId=${ids.yisheng}`, undefined, auth.yiwu))
      .body.data[0]
    expect(after.seniorityTotal).toBeGreaterThanOrEqual(before.seniorityTotal + 10)
    expect(after.rev).toBe(before.rev)
  })

  it('gives an Excel template for every module, and imports one with a report of the bad rows', async () => {
    for (const m of ARCHIVE_MODULES) {
      const res = await fetch(`${t.url}/api/imports/template?collection=${m.collection.name}`, {
        headers: auth.renshi
      })
      expect(res.status, m.collection.name).toBe(200)
      const header = rowsOf((await readXlsx(Buffer.from(await res.arrayBuffer()))).worksheets[0])[0].map(
        String
      )
      expect(header.join(' '), m.collection.name).toContain(
        m.form.fields.find((f) => f.required && f.name !== 'staffId')?.label['zh-CN'] ?? '人员'
      )
    }
    const rows = [
      ['人员', '荣誉名称', '荣誉级别', '获得时间', '颁奖单位'],
      ['yisheng', '年度优秀共产党员', '院级', '2025-07-01', '院党委'],
      ['yisheng', null, '院级', '2025-07-01', '院党委'],
      ['yisheng', '市十佳医生', '宇宙级', '2025-09-01', '市卫健委']
    ]
    const up = await upload(t, token.renshi, await xlsx(rows), '荣誉.xlsx')
    const job = await t.api(
      'POST',
      '/api/imports',
      { collection: 'archive_honours', fileId: up.body[0].id, mode: 'valid-rows-only' },
      auth.renshi
    )
    expect(job.status).toBe(201)
    const status = await finished(t, token.renshi, 'imports', job.body.jobId)
    expect(status.state, status.error ?? '').toBe('completed')
    expect(status.result).toMatchObject({ rows: 3, imported: 1, failed: 2 })
    expect((status.result as Rec).errors.map((e: Rec) => [e.row, e.field])).toEqual([
      [3, 'name'],
      [4, 'level']
    ])
    const honours = (
      await t.api(
        'GET',
        `/api/archive-honours?staffId=${ids.yisheng}&name=${encodeURIComponent('年度优秀共产党员')}`,
        undefined,
        auth.yisheng
      )
    ).body
    expect(honours.data).toHaveLength(1)
    // Imported by HR about the person: official at once, no review.
    expect(honours.data[0].state ?? null).toBeNull()
  })

  it('reports a wrong ISSN in an imported paper at its row and field', async () => {
    const rows = [
      ['人员', '论文题目', '刊物名称', '发表时间', '期刊级别', '作者排序', 'ISSN'],
      ['yisheng', '好论文', '中华心血管病杂志', '2025-03-01', '中华系列', '第一作者', '0253-3758'],
      ['yisheng', '坏论文', '中华心血管病杂志', '2025-03-02', '中华系列', '第一作者', '0253-3759']
    ]
    const up = await upload(t, token.renshi, await xlsx(rows), '论文.xlsx')
    const job = await t.api(
      'POST',
      '/api/imports',
      { collection: 'archive_papers', fileId: up.body[0].id, mode: 'valid-rows-only' },
      auth.renshi
    )
    const status = await finished(t, token.renshi, 'imports', job.body.jobId)
    expect(status.state, status.error ?? '').toBe('completed')
    expect(status.result).toMatchObject({ rows: 2, imported: 1, failed: 1 })
    expect((status.result as Rec).errors).toEqual([
      expect.objectContaining({ row: 3, field: 'issn', reason: expect.stringContaining('ISSN校验位错误') })
    ])
  })

  it('refuses the import to the person themselves (no import right)', async () => {
    expect(
      (await fetch(`${t.url}/api/imports/template?collection=archive_papers`, { headers: auth.yisheng }))
        .status
    ).toBe(403)
  })
})
