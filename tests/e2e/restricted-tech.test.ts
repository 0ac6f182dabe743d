import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import type { RunningServer } from './support/server.js'
import { openSignedIn, signIn, useToken } from './support/session.js'
import { api, hasHorizontalScroll, screenshot } from './support/ui.js'

type Totals = {
  cases: number
  mortalityRate: number | null
  complicationRate: number | null
  filingCompletionRate: number | null
  overdue: number
}
type IndicatorsJson = {
  year: number
  totals: Totals
  technologies: Array<{ code: string; name: string; cases: number }>
}
type DeptJson = { data: Array<{ id: string; code: string; name: string }> }

const pct = (v: number | null) => (v === null ? '—' : `${v}%`)

/** The page's figures against the API's for the same filters (the demo's cases are dated relative to today). */
async function expectFigures(page: Page, expected: IndicatorsJson): Promise<void> {
  await page
    .getByTestId('total-cases')
    .filter({ hasText: String(expected.totals.cases) })
    .waitFor()
  expect(await page.getByTestId('mortality').innerText()).toBe(pct(expected.totals.mortalityRate))
  expect(await page.getByTestId('complication-rate').innerText()).toBe(pct(expected.totals.complicationRate))
  expect(await page.getByTestId('filing-completion').innerText()).toBe(
    pct(expected.totals.filingCompletionRate)
  )
  expect(await page.getByTestId('overdue').innerText()).toBe(String(expected.totals.overdue))
}

/**
 * The restricted-technology indicators page on the demo hospital, signed in as medical
 * affairs (yiwu): figures, the two charts, the table with the overdue filing, the
 * department filter in the URL, the export, and the same page at 375 px.
 */
describe('restricted-technology indicators page', () => {
  let server: RunningServer
  let token: string
  let browser: TestBrowser
  let page: Page
  const year = new Date().getFullYear()

  beforeAll(async () => {
    ;({ server, token, browser, page } = await openSignedIn('yiwu'))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("shows the year's figures, charts and the table, with the overdue filing marked", async () => {
    const expected = await api<IndicatorsJson>(server.url, token, `restricted-tech-indicators?year=${year}`)
    expect(expected.totals.cases).toBeGreaterThan(0)
    await page.goto(`${server.url}/restricted-tech`)
    await page.getByRole('heading', { name: '限制类技术质控指标', level: 1 }).waitFor()
    await expectFigures(page, expected)
    // Two charts drawn by chart.js, each with an accessible name.
    await page.getByRole('img', { name: '每月开展例数' }).waitFor()
    await page.getByRole('img', { name: '死亡率与并发症发生率' }).waitFor()
    const drawn = await page
      .locator('canvas')
      .evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).width > 0))
    expect(drawn).toEqual([true, true])
    const rows = page.getByRole('table').locator('tbody tr')
    expect(await rows.count()).toBe(expected.technologies.length)
    if (expected.totals.overdue > 0) await page.getByRole('table').getByText('已逾期').first().waitFor()
    await page.getByRole('link', { name: '限制类技术质控' }).first().waitFor()
    await screenshot(page, 'restricted-tech-indicators')
    expect(browser.errors).toEqual([])
  })

  it('filters by department through the URL, matching the API', async () => {
    const depts = await api<DeptJson>(server.url, token, 'departments?code=FN01')
    await page.getByLabel('科室').selectOption(depts.data[0].id)
    await page.waitForURL((url) => url.searchParams.get('dept') === depts.data[0].id)
    const none = await api<IndicatorsJson>(
      server.url,
      token,
      `restricted-tech-indicators?year=${year}&deptId=${depts.data[0].id}`
    )
    expect(none.totals.cases).toBe(0)
    await page.getByText('所选年度与科室没有病例。').waitFor()
    await page.getByLabel('科室').selectOption('')
    const all = await api<IndicatorsJson>(server.url, token, `restricted-tech-indicators?year=${year}`)
    await expectFigures(page, all)
    await page.getByLabel('年度').focus()
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
  })

  it('starts the export of the cases and says so', async () => {
    await page.getByRole('button', { name: '导出病例（国家平台格式）' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /已开始导出 \d+ 例病例/ })
      .first()
      .waitFor()
  })

  it('works on a phone (375 px) without sideways scrolling', async () => {
    const phone = await launchBrowser({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2
    })
    try {
      await useToken(phone, token)
      const p = await phone.page()
      await p.goto(`${server.url}/restricted-tech?year=${year}`)
      await p.getByTestId('total-cases').waitFor()
      await p.getByRole('img', { name: '每月开展例数' }).waitFor()
      expect(await hasHorizontalScroll(p)).toBe(false)
      await screenshot(p, 'restricted-tech-375', true)
      expect(phone.errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('shows a staff member only the cases they may read (none of the demo cases are theirs)', async () => {
    const expert = await signIn(server.url, 'zhuanjia')
    const own = await api<IndicatorsJson>(server.url, expert, `restricted-tech-indicators?year=${year}`)
    expect(own.totals.cases).toBe(0)
    const res = await fetch(`${server.url}/api/restricted-tech-export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${expert}`, 'content-type': 'application/json' },
      body: '{}'
    })
    expect(res.status).toBe(403)
  })
})
