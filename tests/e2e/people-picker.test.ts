import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'

/**
 * A staff member (the demo's 心内科医生, who may read no other user on `users`) picks a
 * colleague as the leader of their new-technology application by the pinyin initials of the
 * name, saves, reloads, and sees the colleague's name, not an id (the team's sub-table too).
 */
type Rec = Record<string, any>
const COLLEAGUE = '心内科主任'

async function api(server: RunningServer, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Rec> {
  const res = await fetch(`${server.url}/api/${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  })
  const body = (await res.json()) as Rec
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`)
  return body
}

/** An application of the staff member's own, complete but for the leader they pick in the page. */
async function ownApplication(server: RunningServer, token: string, me: Rec): Promise<Rec> {
  return api(server, token, 'medtech-projects', {
    method: 'POST',
    body: {
      applyDept: me.deptId, name: '经皮冠状动脉腔内冲击波球囊成形术', type: 'therapeutic', level: '3', restricted: false, applyDate: '2026-11-20',
      leaderId: me.id, leaderMobile: '13800138000', minTitle: 'intermediate_up', staffType: 'physician', members: [{ userId: me.id, role: 'operator' }],
      content: '<p>内容</p>', purpose: '<p>目的</p>', background: '<p>概况</p>', plan: '<p>计划</p>', qualityControl: '<p>质控</p>', indications: '<p>适应证</p>',
      involvesDrugOrDevice: false
    }
  })
}

describe('picking a colleague in a user field as a staff member', () => {
  let server: RunningServer
  let token: string
  let browser: TestBrowser
  let page: Page

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    token = await signIn(server.url, 'yisheng')
    browser = await launchBrowser()
    await useToken(browser, token)
    page = await browser.page()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('finds the colleague by pinyin initials, saves, and shows the name after a reload', async () => {
    const me = (await api(server, token, 'account')).user as Rec
    const project = await ownApplication(server, token, me)
    await page.goto(`${server.url}/records/medtech-projects/${project.id}/edit`)
    const leader = page.getByRole('combobox', { name: /项目负责人/ })
    await leader.waitFor()
    await leader.fill('xnkzr')
    const option = page.getByRole('option', { name: new RegExp(COLLEAGUE) })
    await option.waitFor()
    expect(await leader.getAttribute('aria-expanded')).toBe('true')
    await leader.press('Enter')
    await page.getByRole('list', { name: /已选项目负责人/ }).getByText(COLLEAGUE).waitFor()
    await page.getByRole('button', { name: '保存', exact: true }).click()
    await page.waitForURL((url) => !url.pathname.endsWith('/edit'))

    const saved = await api(server, token, `medtech-projects/${project.id}`)
    const [colleague] = (await api(server, token, `people?q=${encodeURIComponent(COLLEAGUE)}`)).data as Rec[]
    expect(saved.leaderId).toBe(colleague.id)
    expect(saved.leaderId).not.toBe(me.id)

    await page.reload()
    const item = (label: string) => page.locator('dl .item').filter({ has: page.getByText(label, { exact: true }) })
    await item('项目负责人').getByText(COLLEAGUE).waitFor()
    expect((await item('项目负责人').locator('dd').innerText()).trim()).toBe(COLLEAGUE)
    // A sub-table's user column reads as names too, not ids.
    const member = (await item('项目组成员').locator('tbody td').first().innerText()).trim()
    expect(member).toBe(me.name)

    await page.goto(`${server.url}/records/medtech-projects/${project.id}/edit`)
    await page.getByRole('list', { name: /已选项目负责人/ }).getByText(COLLEAGUE).waitFor()
    expect(browser.errors).toEqual([])
  }, 120_000)
})
