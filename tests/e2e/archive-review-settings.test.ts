import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import type { RunningServer } from './support/server.js'
import { openSignedIn, signIn, useToken } from './support/session.js'
import { api, hasHorizontalScroll, screenshot } from './support/ui.js'

type Rec = Record<string, any>

/**
 * 审核设置 on the demo hospital: the system administrator changes the papers module's office
 * to 人事科 and drops the department-secretary step, publishes with a comment, sees the new
 * wording, and finds the version with its comment in the flow designer. The medical-affairs
 * administrator (no grant on definitions) sees the same page read-only, on a phone too.
 */
describe('archive review settings page', () => {
  let server: RunningServer
  let admin: TestBrowser
  let page: Page
  let adminToken: string
  const COMMENT = `论文改由人事科审核 ${Date.now()}`

  beforeAll(async () => {
    ;({ server, token: adminToken, browser: admin, page } = await openSignedIn('sysadmin'))
  }, 180_000)

  afterAll(async () => {
    await admin?.close()
    await server?.stop()
  })

  const papersRow = () => page.locator('tr[data-module="papers"]')

  it('lets the administrator change the office and drop the secretary step, and shows the new wording', async () => {
    // Reached from the archives group of the menu.
    await page.goto(`${server.url}/`)
    await page.getByRole('navigation').getByRole('link', { name: '审核设置' }).click()
    await page.waitForURL(/\/archives\/review-settings$/)
    await page.getByRole('heading', { level: 1, name: '审核设置' }).waitFor()
    expect(await page.locator('tbody tr').count()).toBe(16)
    await papersRow()
      .getByTestId('steps')
      .filter({ hasText: /^科室秘书 → 科研科$/ })
      .waitFor()
    const before = (await api<Rec>(server.url, adminToken, 'archive-review-settings')).data.find(
      (r: Rec) => r.module === 'papers'
    ).version as number

    await papersRow().getByLabel('负责审核的职能部门').selectOption({ label: '人事科' })
    await papersRow().getByLabel('先经科室秘书审核').uncheck()
    // Saving without a comment is refused at the field by the browser; the comment goes with the version.
    await papersRow().getByLabel('修改说明').fill(COMMENT)
    await papersRow().getByRole('button', { name: '保存并发布' }).click()
    // The row reads back what the server published (waits for the save and the reload).
    await papersRow()
      .getByTestId('steps')
      .filter({ hasText: /^人事科$/ })
      .waitFor()
    expect(await papersRow().textContent()).toContain(`第 ${before + 1} 版`)
    await screenshot(page, 'archive-review-settings-saved')
    // The server holds it: read back, and the designer link is there.
    const row = (await api<Rec>(server.url, adminToken, 'archive-review-settings')).data.find(
      (r: Rec) => r.module === 'papers'
    )
    expect(row).toMatchObject({ version: before + 1, settings: { office: 'hr', secretary: false } })
    expect(await papersRow().getByRole('link', { name: '在流程设计器中打开' }).getAttribute('href')).toBe(
      '/admin/flows/archive_review_papers'
    )
  }, 120_000)

  it('shows the new version with its comment in the flow designer', async () => {
    await page.goto(`${server.url}/admin/flows?key=archive_review_papers`)
    const newest = page.locator('tr[data-version]').filter({ hasText: COMMENT })
    await newest.waitFor()
    expect(await newest.textContent()).toContain('当前')
  }, 60_000)

  it('shows the medical-affairs administrator the settings read-only, also at 375 px', async () => {
    const phone = await launchBrowser({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true
    })
    try {
      const token = await signIn(server.url, 'yiwu')
      await useToken(phone, token)
      const p = await phone.page()
      await p.goto(`${server.url}/archives/review-settings`)
      await p.getByRole('note').filter({ hasText: '修改需要流程定义的管理权限' }).waitFor()
      const row = p.locator('tr[data-module="papers"]')
      await row
        .getByTestId('steps')
        .filter({ hasText: /^人事科$/ })
        .waitFor()
      expect(await p.locator('table.rtable').getByRole('combobox').count()).toBe(0)
      expect(await p.locator('table.rtable').getByRole('checkbox').count()).toBe(0)
      expect(await row.getByRole('link', { name: '在流程设计器中打开' }).count()).toBe(0)
      expect(await hasHorizontalScroll(p)).toBe(false)
      await screenshot(p, 'archive-review-settings-phone')
      // And the server refuses the save the page does not offer.
      const res = await fetch(`${server.url}/api/archive-review-settings/papers`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ office: 'research_office', secretary: true, comment: '改回' })
      })
      expect(res.status).toBe(403)
    } finally {
      await phone.close()
    }
  }, 120_000)
})
