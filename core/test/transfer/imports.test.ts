import type { ImportResult } from '@medaffairs/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { papers } from '../../../plugins/archives/src/modules/scholarship.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import { validationHook } from '../../src/definitions/hook.js'
import { lookupsFor } from '../../src/definitions/validate/lookups.js'
import { compileValidator } from '../../src/definitions/validate/validator.js'
import { ERROR_COLUMN } from '../../src/transfer/index.js'
import {
  download,
  finished,
  readXlsx,
  rowsOf,
  startTransferServer,
  storeFile,
  upload,
  xlsx,
  type TransferServer
} from './support.js'

const HEADER = ['人员', '论文题目', '刊物名称', '发表时间', '期刊级别', '作者排序', '增刊', '影响因子']

describe.each(DRIVERS)('imports on %s', (driver) => {
  let t: TransferServer
  const users: Record<string, Record<string, any>> = {}
  const tokens: Record<string, string> = {}

  async function papersOf(staffIds: string[]): Promise<Array<Record<string, any>>> {
    return (await t.server.app
      .service('archive-papers')
      .find({ query: { staffId: { $in: staffIds }, $sort: { title: 1 } }, paginate: false })) as Array<
      Record<string, any>
    >
  }

  async function importFile(
    who: string,
    rows: unknown[][],
    mode: string,
    collection = 'archive_papers'
  ): Promise<ImportResult> {
    const up = await upload(t, tokens[who], await xlsx(rows), '论文.xlsx')
    expect(up.status).toBe(201)
    const res = await t.api(
      'POST',
      '/api/imports',
      { collection, fileId: up.body[0].id, mode },
      bearer(tokens[who])
    )
    expect(res.status).toBe(201)
    const status = await finished(t, tokens[who], 'imports', res.body.jobId)
    expect(status.state, status.error ?? '').toBe('completed')
    return status.result as ImportResult
  }

  beforeAll(async () => {
    t = await startTransferServer(driver)
    const { app, db } = t.server
    // The published-form validation hook the pipeline will run: wired here on one collection,
    // so that its item-indexed errors are seen mapped into the report.
    const live = {
      collection: 'archive_papers',
      version: 1,
      form: papers.form,
      validator: compileValidator(papers.form),
      lookups: lookupsFor(app, db)
    }
    app.service('archive-papers').hooks({
      before: { create: [validationHook(async (c) => (c === 'archive_papers' ? live : undefined))] }
    })
    const cardio = (await app
      .service('departments')
      .create({ code: 'D1', name: '心内科', type: 'clinical' })) as { id: string }
    const ortho = (await app
      .service('departments')
      .create({ code: 'D2', name: '骨科', type: 'clinical' })) as { id: string }
    for (const [name, roles, deptId, full] of [
      ['doc1', ['staff'], cardio.id, '李医生'],
      ['doc2', ['staff'], ortho.id, '张医生'],
      ['sec', ['dept_secretary'], cardio.id, '王秘书'],
      ['hr1', ['hr'], ortho.id, '人事'],
      ['head', ['dept_head'], cardio.id, '主任']
    ] as const) {
      users[name] = await createUser(t.server, { username: name, name: full, roles: [...roles], deptId })
      tokens[name] = await login(t, name)
    }
  })
  afterAll(() => t?.close())

  it('gives a template with the columns, required marks, hidden field names and dropdowns', async () => {
    const res = await fetch(`${t.url}/api/imports/template?collection=archive_papers`, {
      headers: bearer(tokens.hr1)
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('spreadsheetml')
    const wb = await readXlsx(Buffer.from(await res.arrayBuffer()))
    const data = wb.getWorksheet('数据')!
    const [labels, names] = rowsOf(data)
    expect(names).toContain('journalLevel')
    expect(names).not.toContain('images')
    expect(names).not.toContain('fullText')
    const at = (n: string) => names.indexOf(n) + 1
    expect(labels[at('title') - 1]).toBe('*论文题目')
    expect(labels[at('doi') - 1]).toBe('DOI')
    expect(data.getRow(2).hidden).toBe(true)
    expect(data.getCell(1, at('title')).font?.color?.argb).toBe('FFC00000')
    const rules = (data as any).dataValidations.model as Record<string, { type: string; formulae: string[] }>
    const col = (n: string) => String.fromCharCode(64 + at(n))
    expect(rules[`${col('journalLevel')}3`]).toMatchObject({ type: 'list' })
    const levels = rules[`${col('journalLevel')}3`].formulae[0]
    expect(
      levels.startsWith("'下拉选项'!")
        ? rowsOf(wb.getWorksheet('下拉选项')!).flat()
        : levels.slice(1, -1).split(',')
    ).toEqual(expect.arrayContaining(['SCI/SCIE', '北大核心']))
    expect(rules[`${col('supplement')}3`].formulae[0]).toBe('"是,否"')
    expect(rules[`${col('publishDate')}3`]).toMatchObject({ type: 'date' })
    expect(data.getColumn(at('publishDate')).numFmt).toBe('yyyy-mm-dd')
    expect(wb.getWorksheet('下拉选项')!.state).toBe('hidden')
    expect(rowsOf(wb.getWorksheet('填写说明')!).flat().join('\n')).toContain('论文扫描件')
  })

  it('refuses a template or an import to callers without the import right', async () => {
    expect((await fetch(`${t.url}/api/imports/template?collection=archive_papers`)).status).toBe(401)
    expect(
      (
        await fetch(`${t.url}/api/imports/template?collection=archive_papers`, {
          headers: bearer(tokens.doc1)
        })
      ).status
    ).toBe(403)
    expect(
      (await fetch(`${t.url}/api/imports/template?collection=nope`, { headers: bearer(tokens.hr1) })).status
    ).toBe(400)
    const up = await upload(t, tokens.head, await xlsx([HEADER]), 'x.xlsx')
    expect(
      (
        await t.api(
          'POST',
          '/api/imports',
          { collection: 'archive_papers', fileId: up.body[0].id, mode: 'valid-rows-only' },
          bearer(tokens.head)
        )
      ).status
    ).toBe(403)
    expect(
      (
        await t.api(
          'POST',
          '/api/imports',
          { collection: 'archive_papers', fileId: up.body[0].id },
          bearer(tokens.doc1)
        )
      ).status
    ).toBe(403)
    // Someone else's upload is not a source: it reads as missing.
    expect(
      (
        await t.api(
          'POST',
          '/api/imports',
          { collection: 'archive_papers', fileId: up.body[0].id },
          bearer(tokens.hr1)
        )
      ).status
    ).toBe(400)
  })

  it('imports a valid file: labels become codes, dates ISO, people ids, audited', async () => {
    const result = await importFile(
      'hr1',
      [
        HEADER,
        [
          'doc1',
          'A 心衰研究',
          '中华心血管病杂志',
          new Date(Date.UTC(2024, 2, 1)),
          'SCI/SCIE',
          '第一作者',
          '是',
          3.5
        ],
        ['张医生(doc2)', 'B 骨折愈合', '中华骨科杂志', '2024/3/5', 'pku_core', '通讯作者', '否', null]
      ],
      'all-or-nothing'
    )
    expect(result).toMatchObject({
      rows: 2,
      imported: 2,
      failed: 0,
      errorCount: 0,
      reportFileId: null,
      rolledBack: false
    })
    const rows = await papersOf([users.doc1.id, users.doc2.id])
    expect(
      rows.map((r) => [
        r.title,
        r.publishDate,
        r.journalLevel,
        r.authorRole,
        r.supplement,
        r.staffId,
        r.deptId
      ])
    ).toEqual([
      ['A 心衰研究', '2024-03-01', 'sci', 'first', true, users.doc1.id, users.doc1.deptId],
      ['B 骨折愈合', '2024-03-05', 'pku_core', 'corresponding', false, users.doc2.id, users.doc2.deptId]
    ])
    const { rows: entries } = await t.server.db.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM _audit WHERE collection = 'archive_papers' GROUP BY action ORDER BY action`
    )
    expect(entries).toEqual(
      expect.arrayContaining([
        { action: 'create', n: 2 },
        { action: 'import', n: 1 }
      ])
    )
  })

  const BAD = [
    HEADER,
    ['doc1', 'C 合格', '刊A', '2024-01-02', 'EI', '第一作者', '否', null],
    ['doc1', null, '刊B', '2024-01-03', 'EI', '第一作者', '否', null],
    ['doc1', 'E 级别错', '刊C', '2024-01-04', '火星核心', '第一作者', '否', null],
    ['doc1', 'F 日期错', '刊D', '三月', 'EI', '第一作者', '否', null],
    ['doc1', 'G 小数多', '刊E', '2024-01-05', 'SCI/SCIE', '第一作者', '否', 1.23456],
    ['查无此人', 'H 人员错', '刊F', '2024-01-06', 'EI', '第一作者', '否', null]
  ]

  it('reports every bad row precisely and changes nothing in all-or-nothing mode', async () => {
    const result = await importFile('hr1', BAD, 'all-or-nothing')
    expect(result).toMatchObject({ rows: 6, imported: 0, failed: 5, rolledBack: true })
    expect(result.errors.map((e) => [e.row, e.field, e.reason])).toEqual([
      [3, 'title', '必填 (required)'],
      [4, 'journalLevel', '“火星核心”不是可选的值 ("火星核心" is not one of the options)'],
      [5, 'publishDate', '应为日期，如 2024-03-01 (must be a date such as 2024-03-01)'],
      [6, 'impactFactor', '最多3位小数 (at most 3 decimal places)'],
      [7, 'staffId', '找不到人员“查无此人” (no person "查无此人")']
    ])
    expect((await papersOf([users.doc1.id])).map((r) => r.title)).toEqual(['A 心衰研究'])
    const report = await download(t, tokens.hr1, result.reportFileId!)
    expect(report.status).toBe(200)
    const rows = rowsOf((await readXlsx(report.bytes)).worksheets[0])
    expect(rows[0][HEADER.length]).toBe(ERROR_COLUMN)
    expect(rows).toHaveLength(7)
    expect(rows[3][1]).toBe('E 级别错')
    expect(rows[3][HEADER.length]).toContain('期刊级别：')
    expect(rows[1][HEADER.length]).toBeUndefined()
    expect((await download(t, tokens.sec, result.reportFileId!)).status).toBe(404)
  })

  it('imports the valid rows only in valid-rows-only mode, reporting the others', async () => {
    const result = await importFile('hr1', BAD, 'valid-rows-only')
    expect(result).toMatchObject({ rows: 6, imported: 1, failed: 5, rolledBack: false })
    expect((await papersOf([users.doc1.id])).map((r) => r.title)).toEqual(['A 心衰研究', 'C 合格'])
    const rows = rowsOf(
      (await readXlsx((await download(t, tokens.hr1, result.reportFileId!)).bytes)).worksheets[0]
    )
    expect(rows.map((r) => r[1])).toEqual([
      '论文题目',
      undefined,
      'E 级别错',
      'F 日期错',
      'G 小数多',
      'H 人员错'
    ])
  })

  it("refuses a secretary's rows about people outside their department", async () => {
    const result = await importFile(
      'sec',
      [
        HEADER,
        ['doc1', 'S 本科室', '刊', '2024-02-01', 'EI', '第一作者', '否', null],
        ['doc2', 'S 外科室', '刊', '2024-02-02', 'EI', '第一作者', '否', null]
      ],
      'valid-rows-only'
    )
    expect(result).toMatchObject({ rows: 2, imported: 1, failed: 1 })
    expect(result.errors).toEqual([
      { row: 3, field: 'staffId', label: '人员', reason: '不在您的权限范围内 (outside your data scope)' }
    ])
    expect((await papersOf([users.doc2.id])).map((r) => r.title)).toEqual(['B 骨折愈合'])
  })

  it('imports a filled-in template (hidden field-name row) and a UTF-8 CSV with a BOM', async () => {
    const res = await fetch(`${t.url}/api/imports/template?collection=archive_honours`, {
      headers: bearer(tokens.hr1)
    })
    const wb = await readXlsx(Buffer.from(await res.arrayBuffer()))
    const data = wb.getWorksheet('数据')!
    const names = rowsOf(data)[1] as string[]
    const row = data.getRow(3)
    const set = (field: string, v: unknown) => (row.getCell(names.indexOf(field) + 1).value = v as any)
    set('staffId', 'doc2')
    set('name', '优秀医师')
    set('level', '院级')
    set('date', new Date(Date.UTC(2023, 11, 31)))
    const filled = Buffer.from(await wb.xlsx.writeBuffer())
    const up = await upload(t, tokens.hr1, filled, '荣誉.xlsx')
    const job = await t.api(
      'POST',
      '/api/imports',
      { collection: 'archive_honours', fileId: up.body[0].id, mode: 'all-or-nothing' },
      bearer(tokens.hr1)
    )
    const status = await finished(t, tokens.hr1, 'imports', job.body.jobId)
    expect(status.result, JSON.stringify(status.result)).toMatchObject({
      rows: 1,
      imported: 1,
      errorCount: 0
    })
    const csv = Buffer.from(
      `\uFEFF人员,论文题目,刊物名称,发表时间,期刊级别,作者排序\r\ndoc2,"CSV, 带逗号",刊,2024-06-01,EI,第二作者\r\n`,
      'utf8'
    )
    const fileId = await storeFile(t, users.hr1.id, csv, 'papers.csv', 'text/csv')
    const csvJob = await t.api(
      'POST',
      '/api/imports',
      { collection: 'archive_papers', fileId, mode: 'all-or-nothing' },
      bearer(tokens.hr1)
    )
    expect((await finished(t, tokens.hr1, 'imports', csvJob.body.jobId)).result).toMatchObject({
      rows: 1,
      imported: 1
    })
    expect((await papersOf([users.doc2.id])).map((r) => [r.title, r.authorRole])).toContainEqual([
      'CSV, 带逗号',
      'second'
    ])
  })
})
