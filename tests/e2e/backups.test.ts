import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractTar } from '../../core/src/backup/tar.js'
import { blockingViolations } from './support/axe.js'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'
import { hasHorizontalScroll, screenshot } from './support/ui.js'

/**
 * The backups page (系统设置 → 备份): the system administrator reaches it from the navigation,
 * backs up now and watches the job finish, opens the new backup and downloads its tar; a
 * medical-affairs administrator sees no entry and gets the error page.
 */
describe('backups page', () => {
  let server: RunningServer
  let browser: TestBrowser
  let page: Page
  let backupId = ''
  const work = mkdtempSync(join(tmpdir(), 'medaffairs-e2e-backups-'))

  beforeAll(async () => {
    ensureAppBuilt()
    // The machine is shared with other suites: give the demo seed time to start.
    server = await startServer({ timeoutMs: 180_000 })
    browser = await launchBrowser()
    await useToken(browser, await signIn(server.url, 'sysadmin'))
    page = await browser.page()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  it('opens from the navigation with the schedule, the retention and the restore command', async () => {
    await page.goto(server.url)
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '备份', exact: true })
      .click()
    await page.getByRole('heading', { name: '备份', level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin/backups')
    await page.getByText('还没有备份').waitFor()
    const settings = page.getByRole('region', { name: '备份计划与保留策略' })
    // The test configuration (config/test.json) turns the schedule off; the daily case is in backup-view.spec.ts.
    await settings.getByText('未开启定时备份').waitFor()
    expect(await settings.innerText()).toContain('最近 7 天')
    const restore = page.getByRole('region', { name: '如何恢复' })
    expect(await restore.innerText()).toContain('恢复不在浏览器中提供')
    expect(await restore.locator('pre').innerText()).toBe('npm run restore -- <file>')
  })

  it('backs up now: the progress reaches done and the new backup is listed', async () => {
    await page.getByRole('button', { name: '立即备份' }).click()
    const run = page.getByRole('region', { name: '正在进行的备份' })
    await run.waitFor()
    // JobProgress shows the state and a progress bar; done = "已完成" with a full bar.
    await run.getByRole('status').filter({ hasText: '已完成' }).waitFor({ timeout: 90_000 })
    expect(await run.getByRole('progressbar').getAttribute('value')).toBe('100')
    const open = run.getByRole('link', { name: '查看这份备份' })
    backupId = (await open.getAttribute('href'))!.split('/').pop()!
    expect(backupId).toMatch(/^full-\d{8}T\d{6}Z-manual$/)
    // The list reloads by itself once the backup is written.
    const rows = page.locator('table.backups tbody tr')
    await rows.first().waitFor()
    expect(await rows.count()).toBe(1)
    const cells = await rows.first().locator('td').allInnerTexts()
    expect(cells[1]).toBe('手动')
    expect(cells[2]).toMatch(/\d+(\.\d)? (B|KB|MB)/)
    expect(cells[3]).toMatch(/^\d+ 张表，[\d,]+ 行$/)
    expect(cells[4]).toBe('完整')
    expect(await page.getByRole('button', { name: '立即备份' }).isEnabled()).toBe(true)
    expect(await blockingViolations(page)).toEqual([])
  })

  it('shows one backup: tables with rows and bytes, the master key it needs', async () => {
    await page.locator('table.backups tbody tr').first().getByRole('link').click()
    await page.waitForURL(`**/admin/backups/${backupId}`)
    await page.getByText(backupId, { exact: true }).waitFor()
    const keys = page.getByRole('region', { name: '恢复所需的主密钥' })
    expect(await keys.locator('code').first().innerText()).toMatch(/\S{8,}/)
    const tables = page.getByRole('region', { name: '数据表明细' }).locator('tbody tr')
    const users = tables.filter({ has: page.getByText('c_users', { exact: true }) })
    // The demo seed's users (sysadmin, yiwu and the generated doctors) are all in the backup.
    expect(Number((await users.locator('td').nth(1).innerText()).replace(/,/g, ''))).toBeGreaterThan(5)
    expect(await tables.count()).toBeGreaterThan(10)
    expect(await page.getByRole('region', { name: '如何恢复' }).locator('pre').innerText()).toBe(
      `npm run restore -- ${backupId}.tar`
    )
    expect(await blockingViolations(page)).toEqual([])
  })

  it('downloads the tar, with the manifest inside', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载备份文件 (.tar)' }).click()
    ])
    expect(download.suggestedFilename()).toBe(`${backupId}.tar`)
    const file = join(work, download.suggestedFilename())
    await download.saveAs(file)
    const paths = await extractTar(file, join(work, 'out'))
    expect(paths[0]).toBe(`${backupId}/manifest.json`)
    const manifest = JSON.parse(readFileSync(join(work, 'out', backupId, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ format: 'medaffairs-backup', id: backupId, kind: 'manual' })
    expect(paths).toContain(`${backupId}/tables/c_users.ndjson.gz`)
  })

  it('fits a 375 px phone, list and detail', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    expect(await hasHorizontalScroll(page)).toBe(false)
    expect(await blockingViolations(page)).toEqual([])
    await screenshot(page, 'backup-detail-375', true)
    await page.goto(`${server.url}/admin/backups`)
    await page.locator('table.backups tbody tr').first().waitFor()
    expect(await hasHorizontalScroll(page)).toBe(false)
    expect(await blockingViolations(page)).toEqual([])
    await screenshot(page, 'backups-375', true)
  })

  it('is neither in the menu nor open to a medical-affairs administrator', async () => {
    const other = await launchBrowser()
    try {
      await useToken(other, await signIn(server.url, 'yiwu'))
      const p = await other.page()
      await p.goto(server.url)
      const nav = p.getByRole('navigation', { name: '主导航' })
      await nav.getByRole('link', { name: '回收站', exact: true }).waitFor()
      expect(await nav.getByRole('link', { name: '备份', exact: true }).count()).toBe(0)
      await p.goto(`${server.url}/admin/backups`)
      const error = p.getByRole('region', { name: '出错了' })
      await error.waitFor()
      expect(await error.innerText()).toContain('仅系统管理员可管理备份')
      expect(await p.locator('table.backups').count()).toBe(0)
      expect(await p.getByRole('button', { name: '立即备份' }).count()).toBe(0)
    } finally {
      await other.close()
    }
  })
})
