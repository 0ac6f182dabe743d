import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_KEY } from '../../app/src/lib/api/session.js'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { startFillinE2E, type FillinE2E } from './support/fillin-fixture.js'
import { ensureAppBuilt } from './support/server.js'
import { hasHorizontalScroll, screenshot } from './support/ui.js'

/**
 * A fill-in task in the browser, on a 375-px phone: the project leader opens the tracking
 * task from the inbox (the row names the project), fills the report form, sends a value the
 * server refuses (the error shows at its field, nothing is stored), corrects it and sends
 * the final report; the report is in the records list and the flow has moved on.
 */
describe('fill-in tasks', () => {
  let t: FillinE2E
  let phone: TestBrowser
  let page: Page

  beforeAll(async () => {
    ensureAppBuilt()
    t = await startFillinE2E()
    phone = await launchBrowser({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2
    })
    page = await phone.page()
  })

  afterAll(async () => {
    await phone?.close()
    await t?.close()
  })

  it('submits a tracking report from the task, with the server’s refusal shown at its field', async () => {
    const instanceId = await t.trackedProject('经皮冠状动脉介入新术式')
    await page.goto(`${t.url}/login`)
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [TOKEN_KEY, t.token.leader] as const)
    await page.goto(`${t.url}/flows`)

    // The inbox row names the project (its title field), not only a short id.
    const row = page.locator(`a.item[data-instance="${instanceId}"]`)
    await row.locator('.title', { hasText: '经皮冠状动脉介入新术式' }).waitFor()
    await row.click()
    await page.waitForURL(`**/flows/${instanceId}`)

    const form = page.getByTestId('fill-form')
    await form.getByRole('heading', { name: /开展情况追踪/ }).waitFor()
    await form.getByLabel('统计期止').fill('2026-06-30')
    await form.getByLabel('本期开展例数').fill('12')
    await form.getByLabel('治愈例数').fill('15')
    await form.getByLabel('备注').fill('本期无并发症')
    await form.getByLabel(/最后一次填报/).check()
    expect(await hasHorizontalScroll(page)).toBe(false)
    await screenshot(page, 'flows-fillin-375')

    // Cured above the cases passes the browser's checks; the server refuses it at `cured`.
    const send = form.getByRole('button', { name: '提交' })
    await send.dblclick()
    const cured = form.getByLabel('治愈例数')
    // The message sits under the 治愈例数 control and is announced with it.
    await form.getByText('治愈例数不能超过开展例数').waitFor()
    const describedBy = (await cured.getAttribute('aria-describedby')) ?? ''
    expect(describedBy).toMatch(/-error$/)
    expect(await page.locator(`[id="${describedBy}"]`).innerText()).toContain('治愈例数不能超过开展例数')
    await screenshot(page, 'flows-fillin-error-375')
    expect(await t.reports()).toEqual([])

    await cured.fill('10')
    await send.dblclick()
    await page.getByTestId('flow-state').waitFor()
    await page.getByText('当前步骤：医务部评估').waitFor()
    await form.waitFor({ state: 'detached' })
    // Sent once, despite the double click.
    const stored = await t.reports()
    expect(stored).toEqual([
      expect.objectContaining({ periodEnd: '2026-06-30', cases: 12, cured: 10, flowInstanceId: instanceId })
    ])

    await page.goto(`${t.url}/records/e2e_reports`)
    await page.getByText('2026-06-30').first().waitFor()
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
})
