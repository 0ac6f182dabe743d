import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'

/**
 * The conversion-candidates page on the demo hospital: the demo job plays a project through
 * the real flow to its evaluation, meeting its rule; the medical-affairs administrator sees
 * it, confirms the conversion in the dialog, and the project leaves the list for the
 * catalogue. Also the overview, the candidates page at 375 px, and a staff member (who may
 * read no other user on `users`) picking a colleague as their application's leader.
 */
const NAME = '心脏再同步化治疗(CRT)优化程控'

async function api(server: RunningServer, token: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'content-type': 'application/json'
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return res.json()
}

/** An application of a staff member's own, complete, with themselves as leader and operator. */
function ownApplication(me: Record<string, any>) {
  return {
    applyDept: me.deptId,
    name: '经皮冠状动脉腔内冲击波球囊成形术',
    type: 'therapeutic',
    level: '3',
    restricted: false,
    applyDate: '2026-11-20',
    leaderId: me.id,
    leaderMobile: '13800138000',
    minTitle: 'intermediate_up',
    staffType: 'physician',
    members: [{ userId: me.id, role: 'operator' }],
    content: '<p>内容</p>',
    purpose: '<p>目的</p>',
    background: '<p>概况</p>',
    plan: '<p>计划</p>',
    qualityControl: '<p>质控</p>',
    indications: '<p>适应证</p>',
    involvesDrugOrDevice: false
  }
}

/** The demo's applications are played by a job after start: wait until the candidate is there. */
async function demoReady(server: RunningServer, token: string): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const list = await api(server, token, '/api/medtech-candidates').catch(() => ({ data: [] }))
    if (list.data?.some((c: { name: string }) => c.name === NAME)) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`the demo candidate did not appear:\n${server.output().slice(-3000)}`)
}

describe('medtech pages', () => {
  let server: RunningServer
  let token: string
  let browser: TestBrowser
  let page: Page

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    token = await signIn(server.url, 'yiwu')
    await demoReady(server, token)
    browser = await launchBrowser()
    await useToken(browser, token)
    page = await browser.page()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the overview by stage with the overdue report', async () => {
    await page.goto(`${server.url}/medtech`)
    await page.getByRole('heading', { name: '新技术新项目概览', level: 1 }).waitFor()
    await page.getByRole('link', { name: '逾期未填报 (1)' }).click()
    await page.waitForURL(/box=overdue/)
    await page.waitForFunction(() => document.querySelectorAll('table.rtable tbody tr').length === 1)
    expect(await page.locator('table.rtable tbody tr td').first().innerText()).toBe('经导管左心耳封堵术')
  })

  it('confirms a conversion from the candidates page, with the keyboard', async () => {
    await page.goto(`${server.url}/medtech/candidates`)
    const row = page.locator('[data-testid="candidate"]').filter({ hasText: NAME })
    await row.getByText('待确认').waitFor()
    await row.getByRole('button', { name: '确认转化' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: `确认「${NAME}」转为院内成熟技术` })
    await dialog.waitFor()
    await dialog.getByLabel('评估意见').fill('开展满一年，疗效确切')
    await dialog.getByRole('button', { name: '确认转化' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `已转为成熟技术：${NAME}` })
      .first()
      .waitFor()
    await page.getByText('目前没有满足条件的项目').waitFor()
    const projects = await api(server, token, `/api/medtech-projects?name=${encodeURIComponent(NAME)}`)
    expect(projects.data[0]).toMatchObject({
      state: 'converted',
      evaluationOpinion: '开展满一年，疗效确切',
      matureId: expect.any(String)
    })
    const catalogue = await api(server, token, '/api/medtech-mature?state=approved&source=conversion')
    expect(catalogue.data.map((m: { name: string }) => m.name)).toEqual([NAME])
  })

  it('lays the candidates out as cards on a phone', async () => {
    const phone = await launchBrowser({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true
    })
    try {
      await useToken(phone, token)
      const p = await phone.page()
      await p.goto(`${server.url}/medtech/candidates?all=true`)
      await p.locator('[data-testid="candidate"]').first().waitFor()
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      expect(
        await p
          .locator('[data-testid="candidate"] td')
          .first()
          .evaluate((td) => getComputedStyle(td).display)
      ).toBe('flex')
    } finally {
      await phone.close()
    }
  })

  it('lets a staff member pick a colleague by pinyin initials as leader, and shows names after a reload', async () => {
    const colleague = '心内科主任'
    const staffToken = await signIn(server.url, 'yisheng')
    const me = (await api(server, staffToken, '/api/account')).user
    const project = await api(server, staffToken, '/api/medtech-projects', ownApplication(me))
    expect(project.id, JSON.stringify(project)).toEqual(expect.any(String))
    const staff = await launchBrowser()
    try {
      await useToken(staff, staffToken)
      const p = await staff.page()
      await p.goto(`${server.url}/records/medtech-projects/${project.id}/edit`)
      const leader = p.getByRole('combobox', { name: /项目负责人/ })
      await leader.fill('xnkzr')
      await p.getByRole('option', { name: new RegExp(colleague) }).waitFor()
      expect(await leader.getAttribute('aria-expanded')).toBe('true')
      await leader.press('Enter')
      await p
        .getByRole('list', { name: /已选项目负责人/ })
        .getByText(colleague)
        .waitFor()
      await p.getByRole('button', { name: '保存', exact: true }).click()
      await p.waitForURL((url) => !url.pathname.endsWith('/edit'))
      const [picked] = (await api(server, staffToken, `/api/people?q=${encodeURIComponent(colleague)}`)).data
      expect((await api(server, staffToken, `/api/medtech-projects/${project.id}`)).leaderId).toBe(picked.id)

      await p.reload()
      const item = (label: string) =>
        p.locator('dl .item').filter({ has: p.getByText(label, { exact: true }) })
      await item('项目负责人').getByText(colleague).waitFor()
      expect((await item('项目负责人').locator('dd').innerText()).trim()).toBe(colleague)
      // A sub-table's user column reads as names too, not ids.
      expect((await item('项目组成员').locator('tbody td').first().innerText()).trim()).toBe(me.name)
      // The operation log names the new leader too, not their id.
      const history = p.getByRole('region', { name: '操作日志' })
      const change = history
        .locator('tr')
        .filter({ has: p.getByRole('rowheader', { name: '项目负责人', exact: true }) })
        .first()
      await change.locator('ins').getByText(colleague, { exact: true }).waitFor()
      await p.goto(`${server.url}/records/medtech-projects/${project.id}/edit`)
      await p
        .getByRole('list', { name: /已选项目负责人/ })
        .getByText(colleague)
        .waitFor()
      expect(staff.errors).toEqual([])
    } finally {
      await staff.close()
    }
  }, 120_000)
})
