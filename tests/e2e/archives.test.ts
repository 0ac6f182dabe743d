import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import type { RunningServer } from './support/server.js'
import { openSignedIn, signIn, useToken } from './support/session.js'
import { api, hasHorizontalScroll, screenshot } from './support/ui.js'

type Rec = Record<string, any>

/**
 * Staff archives in the browser, on the demo hospital: the demo doctor opens 我的档案, adds
 * a paper (a wrong ISSN check digit is shown at the field, then fixed), sees it 待审核; the
 * department secretary and the research office approve it over the API; the doctor sees it
 * 已通过 and this year's credits go up. The profile at 375 px; the expiring list shows the
 * doctor's seeded practice licence.
 */
describe('staff archives pages', () => {
  let server: RunningServer
  let browser: TestBrowser
  let page: Page
  let doctorToken: string
  const year = new Date().getFullYear()
  const TITLE = `端到端测试论文 ${Date.now()}`

  beforeAll(async () => {
    ;({ server, token: doctorToken, browser, page } = await openSignedIn('yisheng'))
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const creditsShown = async () =>
    Number(((await page.locator('[data-fact="credits-total"]').textContent()) ?? '').split('/')[0].trim())
  const paperEntry = () => page.locator('article.entry').filter({ hasText: TITLE })

  it('adds a paper from my archive: the ISSN error shows at the field, then it is saved and pending review', async () => {
    await page.goto(`${server.url}/archives/me`)
    await page.getByRole('heading', { level: 1, name: '心内科医生' }).waitFor()
    // The seeded archive fills every module.
    await page.locator('#module-papers article.entry').first().waitFor()
    const before = await creditsShown()

    await page.locator('[data-add="papers"]').click()
    await page.waitForURL(/\/records\/archive-papers\/new/)
    await page.getByLabel('论文题目').fill(TITLE)
    await page.getByLabel('刊物名称').fill('中华心血管病杂志')
    await page.getByLabel('发表时间').fill(`${year}-03-01`)
    await page.getByLabel('期刊级别').selectOption({ label: '中华系列' })
    await page.getByLabel('作者排序').selectOption({ label: '第一作者' })
    await page.getByLabel('ISSN', { exact: true }).fill('0253-3759')
    await page.getByRole('button', { name: '保存', exact: true }).click()
    // At the field: the message under the ISSN input, which describes it and is marked invalid.
    const issnError = page.locator('.field.invalid p.error').filter({ hasText: 'ISSN校验位错误' })
    await issnError.waitFor()
    await screenshot(page, 'archives-paper-issn-error')
    expect(await issnError.textContent()).toContain('第8位应为8')
    const issnInput = page.getByLabel('ISSN', { exact: true })
    expect(await issnInput.getAttribute('aria-invalid')).toBe('true')
    expect(await issnInput.getAttribute('aria-describedby')).toContain(
      String(await issnError.getAttribute('id'))
    )
    expect(page.url()).toMatch(/\/new/)

    await page.getByLabel('ISSN', { exact: true }).fill('0253-3758')
    await page.getByRole('button', { name: '保存', exact: true }).click()
    await page.waitForURL(/\/archives\/me$/)
    await paperEntry().locator('[data-review="pending"]').waitFor()
    expect(await paperEntry().getByRole('link', { name: '查看审核流程' }).getAttribute('href')).toMatch(
      /^\/flows\//
    )
    expect(await creditsShown()).toBe(before)
    ;(globalThis as Rec).__creditsBefore = before
  }, 120_000)

  it('counts the paper once the secretary and the research office approve it', async () => {
    const me = (await api<Rec>(server.url, doctorToken, 'account')).user
    const papers = await api<Rec>(
      server.url,
      doctorToken,
      `archive-papers?staffId=${me.id}&title=${encodeURIComponent(TITLE)}`
    )
    const paper = papers.data[0]
    const [instance] = (
      await api<Rec>(server.url, doctorToken, `flow-instances?collection=archive_papers&recordId=${paper.id}`)
    ).data
    // The step's assignee is the secretary of the doctor's department (found through the tree).
    const adminToken = await signIn(server.url, 'yiwu')
    const view = await api<Rec>(server.url, adminToken, `flow-instances/${instance.id}`)
    const pending = (view.tasks as Rec[]).find((task) => task.state === 'pending')!
    const secretary = await api<Rec>(server.url, adminToken, `users/${pending.assigneeId}`)
    expect(secretary.roles).toContain('dept_secretary')
    const secretaryToken = await signIn(server.url, secretary.username)
    await api(server.url, secretaryToken, 'flow-actions', {
      method: 'POST',
      body: { taskId: pending.id, action: 'approve', comment: '情况属实' }
    })
    const officeToken = await signIn(server.url, 'keyan')
    const officeTask = ((await api<Rec>(server.url, officeToken, 'flow-tasks?box=todo')).data as Rec[]).find(
      (task) => task.instance.recordId === paper.id
    )!
    await api(server.url, officeToken, 'flow-actions', {
      method: 'POST',
      body: { taskId: officeTask.id, action: 'approve' }
    })

    await page.goto(`${server.url}/archives/me`)
    await paperEntry().locator('[data-review="approved"]').waitFor()
    expect(await creditsShown()).toBe((globalThis as Rec).__creditsBefore + 5)
    await screenshot(page, 'archives-profile-desktop')
  }, 120_000)

  it('shows the profile on a phone (375 px) without sideways scrolling', async () => {
    const phone = await launchBrowser({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true
    })
    try {
      await useToken(phone, doctorToken)
      const p = await phone.page()
      await p.goto(`${server.url}/archives/me`)
      await p.getByRole('heading', { level: 1, name: '心内科医生' }).waitFor()
      await p.locator('#module-papers article.entry').first().waitFor()
      // Codes show as their dictionary labels (在职, not active).
      await p
        .locator('#module-basic_info dd')
        .filter({ hasText: /^在职$/ })
        .waitFor()
      await screenshot(p, 'archives-profile-375')
      expect(await hasHorizontalScroll(p)).toBe(false)
      for (const [path, heading] of [
        ['/archives/people', '人员查询'],
        ['/archives/credits', '学分统计'],
        ['/archives/expiring', '证照到期']
      ]) {
        await p.goto(`${server.url}${path}`)
        await p.getByRole('heading', { level: 1, name: heading }).waitFor()
        expect(await hasHorizontalScroll(p), path).toBe(false)
      }
      expect(phone.errors).toEqual([])
    } finally {
      await phone.close()
    }
  }, 120_000)

  it("lists the doctor's seeded practice licence among the credentials expiring soon", async () => {
    const admin = await launchBrowser()
    try {
      await useToken(admin, await signIn(server.url, 'yiwu'))
      const p = await admin.page()
      await p.goto(`${server.url}/archives/expiring?days=90`)
      const soon = p
        .locator('table[data-group="soon"] tr')
        .filter({ hasText: '心内科医生' })
        .filter({ hasText: '资格证书' })
      await soon.first().waitFor()
      expect(await soon.count()).toBeGreaterThanOrEqual(1)
      // The list is paged on the server; the header tells how many there are in all.
      const rows = await p.locator('table[data-group] tbody tr').count()
      await p.getByRole('heading', { level: 1 }).getByText(`共 ${rows} 条`).waitFor()
      expect(await p.getByRole('navigation', { name: '分页' }).count()).toBe(0)
      // And the directory finds the doctor by pinyin initials.
      await p.goto(`${server.url}/archives/people?q=xnkys`)
      await p.getByRole('link', { name: '心内科医生' }).waitFor()
    } finally {
      await admin.close()
    }
  }, 120_000)
})
