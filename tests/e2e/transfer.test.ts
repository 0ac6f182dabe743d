import { readFile } from 'node:fs/promises'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'
import { api, screenshot } from './support/ui.js'

/**
 * Export and import from the generic list page, on the demo's representative papers:
 * HR (renshi) exports a filtered list to .xlsx and imports a workbook after a dry run;
 * a staff member (yisheng), who has neither right, sees no buttons and the API refuses.
 */
const COLLECTION = 'archive_papers'
const PATH = 'archive-papers'
const JOURNAL = '导出测试期刊'
const HEADER = ['人员', '论文题目', '刊物名称', '发表时间', '期刊级别', '作者排序']
const files = mkdtempSync(join(tmpdir(), 'medaffairs-e2e-transfer-'))

interface Paper {
  id: string
  title: string
  journal: string
}

async function workbook(rows: unknown[][], name: string): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('数据')
  for (const r of rows) ws.addRow(r)
  const path = join(files, name)
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()))
  return path
}

async function sheetRows(path: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load((await readFile(path)) as unknown as ArrayBuffer)
  const rows: unknown[][] = []
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
  return rows
}

describe('export and import on the list page', () => {
  let server: RunningServer
  let hr: string
  let browser: TestBrowser
  let page: Page
  let staffId: string

  const papersIn = async (journal: string) =>
    (
      await api<{ data: Paper[] }>(
        server.url,
        hr,
        `${PATH}?journal=${encodeURIComponent(journal)}&$limit=100&$sort[title]=1`
      )
    ).data

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    hr = await signIn(server.url, 'renshi')
    const staff = await api<{ data: Array<{ id: string }> }>(server.url, hr, 'users?username=yisheng')
    staffId = staff.data[0].id
    // Five papers in the test journal (three SCI, two EI) among whatever the demo holds.
    for (const [i, level] of ['sci', 'sci', 'ei', 'sci', 'ei'].entries()) {
      await api(server.url, hr, PATH, {
        method: 'POST',
        body: {
          staffId,
          title: `导出论文${i + 1}`,
          journal: JOURNAL,
          publishDate: `2024-0${i + 1}-15`,
          journalLevel: level,
          authorRole: 'first'
        }
      })
    }
    browser = await launchBrowser()
    await useToken(browser, hr)
    page = await browser.page()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('exports exactly the filtered rows to .xlsx, with live progress, then downloads the file', async () => {
    const filter = { journal: JOURNAL, journalLevel: { $in: ['sci'] } }
    await page.goto(`${server.url}/records/${COLLECTION}?q=${encodeURIComponent(JSON.stringify(filter))}`)
    await page.getByText('共 3 条').first().waitFor()
    await page.getByRole('button', { name: '导出', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: '导出数据' })
    await dialog.getByLabel('当前筛选结果（3 条）').check()
    await dialog.getByLabel('Excel 工作簿（.xlsx）').check()
    await dialog.getByRole('button', { name: '开始导出' }).click()
    await dialog.getByText('已完成').waitFor()
    await dialog.getByText(/已导出 3 行/).waitFor()
    await screenshot(page, 'transfer-export-done')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: '下载文件' }).click()
    ])
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
    const saved = join(files, 'export.xlsx')
    await download.saveAs(saved)
    const rows = await sheetRows(saved)
    const titleColumn = (rows[0] as string[]).indexOf('论文题目')
    expect(titleColumn).toBeGreaterThanOrEqual(0)
    const titles = rows.slice(1).map((r) => r[titleColumn])
    expect(titles.sort()).toEqual(['导出论文1', '导出论文2', '导出论文4'])
    await dialog.getByRole('button', { name: '关闭' }).click()
  })

  it('lists the export on "my jobs" with its download', async () => {
    await page.goto(`${server.url}/jobs`)
    await page.getByRole('heading', { name: '我的任务', level: 1 }).waitFor()
    await screenshot(page, 'transfer-jobs')
    const link = page.getByRole('link', { name: /^导出 · 代表性学术论文/ }).first()
    await link.waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      throw new Error(`no export on the jobs page:\n${await page.locator('main').innerText()}`, {
        cause: error
      })
    })
    await link.click()
    await page.getByRole('heading', { name: '结果' }).waitFor()
    expect(await page.getByText(/已导出 3 行/).count()).toBe(1)
    await page.getByRole('button', { name: '下载文件' }).waitFor()
  })

  it('checks an import first: the report names the bad row and field, and nothing is written; after the fix the rows appear', async () => {
    const journal = '导入测试期刊'
    const bad = await workbook(
      [
        HEADER,
        ['yisheng', '导入论文甲', journal, '2024-05-01', 'EI', '第一作者'],
        ['yisheng', '', journal, '2024-05-02', 'EI', '第一作者']
      ],
      'bad.xlsx'
    )
    await page.goto(`${server.url}/records/${COLLECTION}`)
    await page.getByRole('button', { name: '导入', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: /导入：/ })
    await dialog.getByLabel('导入文件').setInputFiles(bad)
    await dialog.getByRole('button', { name: '上传并校验' }).click()
    await dialog.getByText('共 2 行：1 行可以导入，1 行有错误').waitFor()
    const errorRow = dialog.locator('table.row-errors tbody tr')
    expect(await errorRow.count()).toBe(1)
    expect((await errorRow.locator('td').allInnerTexts()).map((s) => s.trim())).toEqual([
      '第 3 行',
      '论文题目',
      '必填'
    ])
    expect(await dialog.getByRole('button', { name: /确认导入/ }).isDisabled()).toBe(true)
    await screenshot(page, 'transfer-import-report')
    expect(await papersIn(journal)).toEqual([])
    await dialog.getByRole('button', { name: '取消' }).click()
    expect(await papersIn(journal)).toEqual([])

    const good = await workbook(
      [
        HEADER,
        ['yisheng', '导入论文甲', journal, '2024-05-01', 'EI', '第一作者'],
        ['yisheng', '导入论文乙', journal, '2024-05-02', 'EI', '第一作者']
      ],
      'good.xlsx'
    )
    await page.getByRole('button', { name: '导入', exact: true }).click()
    await dialog.getByLabel('导入文件').setInputFiles(good)
    await dialog.getByRole('button', { name: '上传并校验' }).click()
    await dialog.getByText('共 2 行：2 行可以导入，0 行有错误').waitFor()
    expect(await papersIn(journal)).toEqual([])
    await dialog.getByRole('button', { name: '确认导入 2 行' }).click()
    await dialog.getByText('已导入 2 行，失败 0 行').waitFor()
    expect((await papersIn(journal)).map((p) => p.title)).toEqual(['导入论文乙', '导入论文甲'].sort())
    await dialog.getByRole('button', { name: '关闭' }).click()
    await page.goto(
      `${server.url}/records/${COLLECTION}?q=${encodeURIComponent(JSON.stringify({ journal }))}`
    )
    await page.getByText('共 2 条').first().waitFor()
    const titles = await page.locator('table.records tbody tr td').allInnerTexts()
    expect(titles).toEqual(expect.arrayContaining(['导入论文甲', '导入论文乙']))
  })

  it('shows no export or import to a user without those rights, and the API refuses them', async () => {
    const staff = await signIn(server.url, 'yisheng')
    const other = await launchBrowser()
    try {
      await useToken(other, staff)
      const p = await other.page()
      await p.goto(`${server.url}/records/${COLLECTION}`)
      await p.getByRole('heading', { name: '代表性学术论文', level: 1 }).waitFor()
      await p.getByRole('link', { name: /新建/ }).waitFor()
      expect(await p.getByRole('button', { name: '导出', exact: true }).count()).toBe(0)
      expect(await p.getByRole('button', { name: '导入', exact: true }).count()).toBe(0)
    } finally {
      await other.close()
    }
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staff}`, 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
    expect((await post('exports', { collection: COLLECTION, query: {}, format: 'xlsx' })).status).toBe(403)
    expect((await post('imports', { collection: COLLECTION, fileId: 'x', mode: 'dry-run' })).status).toBe(403)
    expect(
      (
        await fetch(`${server.url}/api/imports/template?collection=${COLLECTION}`, {
          headers: { authorization: `Bearer ${staff}` }
        })
      ).status
    ).toBe(403)
  })
  it('imports users on the users page: a check first, then the initial passwords shown once', async () => {
    const admin = await launchBrowser()
    try {
      await useToken(admin, await signIn(server.url, 'sysadmin'))
      const p = await admin.page()
      await p.goto(`${server.url}/admin/users`)
      await p.getByRole('heading', { name: '用户管理', level: 1 }).waitFor()
      await p.getByRole('button', { name: '批量导入' }).click()
      const dialog = p.getByRole('dialog', { name: '批量导入用户' })
      const users = ['*工号', '*姓名', '科室', '角色', '职称', '手机号码', '电子邮箱']
      await dialog
        .getByLabel('导入文件')
        .setInputFiles(
          await workbook(
            [users, ['e2e001', '导入甲', '心血管内科'], ['e2e002', '导入乙', '没有这个科']],
            'users-bad.xlsx'
          )
        )
      await dialog.getByRole('button', { name: '上传并校验' }).click()
      await dialog.getByText('共 2 行：1 行可以导入，1 行有错误').waitFor()
      expect(
        (await dialog.locator('table.row-errors tbody tr td').allInnerTexts()).map((s) => s.trim())
      ).toEqual(['第 3 行', '科室', '没有该科室'])
      expect(await dialog.getByRole('button', { name: /确认创建/ }).count()).toBe(0)
      await dialog.getByRole('button', { name: '取消' }).click()

      await p.getByRole('button', { name: '批量导入' }).click()
      await dialog
        .getByLabel('导入文件')
        .setInputFiles(
          await workbook(
            [users, ['e2e001', '导入甲', '心血管内科'], ['e2e002', '导入乙', 'IM0101']],
            'users-good.xlsx'
          )
        )
      await dialog.getByRole('button', { name: '上传并校验' }).click()
      await dialog.getByRole('button', { name: '确认创建 2 个用户' }).click()
      await dialog.getByText('已创建 2 个用户').waitFor()
      await screenshot(p, 'users-import-passwords')
      const cells = await dialog
        .locator('table tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''))
        )
      expect(cells.map(([u, n]) => [u, n])).toEqual([
        ['e2e001', '导入甲'],
        ['e2e002', '导入乙']
      ])
      const signInRes = await fetch(`${server.url}/api/authentication`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ strategy: 'local', username: 'e2e001', password: cells[0][2] })
      })
      expect(signInRes.status).toBe(201)
      expect(
        ((await signInRes.json()) as { authentication: { restriction: string } }).authentication.restriction
      ).toBe('password_change')
    } finally {
      await admin.close()
    }
  })
})
