import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'

/** The medical-affairs administrator of the demo hospital: reads and edits dictionaries. */
const USER = 'yiwu'

interface ManifestJson {
  plugins: Array<{ enabled: boolean; menu: Array<{ path: string; label: Record<string, string> }> }>
}

/** Screenshots go to E2E_SCREENSHOTS_DIR or a new temp folder; the paths are printed. */
const shots = process.env.E2E_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'medaffairs-e2e-shots-'))
mkdirSync(shots, { recursive: true })

/** The visible screen by default; `fullPage` for short pages (long lists make unreadable images). */
async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  const path = join(shots, `${name}.png`)
  await page.screenshot({ path, fullPage })
  console.log(`screenshot: ${path}`)
  return path
}

async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
}

/** Drives the search listbox with the keyboard until `name` is the highlighted option, then Enter. */
async function chooseWithKeyboard(page: Page, name: RegExp): Promise<void> {
  const options = page.getByRole('listbox', { name: 'Search results' }).getByRole('option')
  await options.first().waitFor()
  const texts = await options.allInnerTexts()
  const index = texts.findIndex((text) => name.test(text))
  expect(index, `no option matches ${name} in ${JSON.stringify(texts)}`).toBeGreaterThanOrEqual(0)
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown')
  expect(await options.nth(index).getAttribute('aria-selected')).toBe('true')
  await page.keyboard.press('Enter')
}

describe('web shell', () => {
  let server: RunningServer
  let manifest: ManifestJson
  let token: string

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    token = await signIn(server.url, USER)
    // Menus are filtered by the caller's rights: ask as the user the browser signs in as.
    manifest = (await (
      await fetch(`${server.url}/api/manifest`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as ManifestJson
  })

  afterAll(async () => {
    await server?.stop()
  })

  describe('on a PC (1280 px)', () => {
    let browser: TestBrowser
    let page: Page

    beforeAll(async () => {
      browser = await launchBrowser({ viewport: { width: 1280, height: 800 } })
      await useToken(browser, token)
      page = await browser.page()
    })

    afterAll(async () => {
      await browser?.close()
    })

    it('shows the navigation from the manifest in Chinese', async () => {
      await page.goto(`${server.url}/`)
      const nav = page.getByRole('navigation', { name: '主导航' })
      const menu = manifest.plugins.filter((p) => p.enabled).flatMap((p) => p.menu)
      expect(menu.length).toBeGreaterThan(0)
      for (const item of menu)
        await nav.getByRole('link', { name: item.label['zh-CN'], exact: true }).waitFor()
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
      await page.getByRole('heading', { level: 1 }).waitFor()
      await screenshot(page, 'home-1280')
    })

    it('switches to English', async () => {
      await page.getByLabel('语言').first().selectOption('en-US')
      const nav = page.getByRole('navigation', { name: 'Main navigation' })
      const menu = manifest.plugins.filter((p) => p.enabled).flatMap((p) => p.menu)
      for (const item of menu)
        await nav.getByRole('link', { name: item.label['en-US'], exact: true }).waitFor()
      expect(await page.getAttribute('html', 'lang')).toBe('en-US')
    })

    it('finds the dictionaries page by pinyin initials and opens it with the keyboard', async () => {
      await page.locator('body').click({ position: { x: 600, y: 400 } })
      await page.keyboard.press('/')
      const box = page.getByRole('combobox', { name: 'Search' })
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true)
      await page.keyboard.type('zd')
      const dictionariesMenu = manifest.plugins
        .flatMap((p) => p.menu)
        .find((m) => m.path === '/dictionaries')!
      await chooseWithKeyboard(page, new RegExp(`^${dictionariesMenu.label['en-US']}\\s`))
      await page.waitForURL(`${server.url}/dictionaries`)
      await page.getByRole('heading', { level: 1, name: 'Dictionaries' }).waitFor()
      await screenshot(page, 'dictionaries-1280')
    })

    it('opens a dictionary and shows its items', async () => {
      const first = page.getByRole('table').getByRole('link').first()
      const name = (await first.innerText()).trim()
      await first.click()
      await page.waitForURL(/\/dictionaries\/[^/]+$/)
      await page.getByRole('heading', { level: 1, name }).waitFor()
      await page
        .getByRole('button', { name: /^Edit “/ })
        .first()
        .waitFor()
      await screenshot(page, 'dictionary-1280', true)
      expect(browser.errors).toEqual([])
    })
  })

  describe('on a phone (375 px)', () => {
    let browser: TestBrowser
    let page: Page

    beforeAll(async () => {
      browser = await launchBrowser({
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2
      })
      await useToken(browser, token)
      page = await browser.page()
    })

    afterAll(async () => {
      await browser?.close()
    })

    it('shows a drawer button instead of the sidebar, without horizontal scroll', async () => {
      await page.goto(`${server.url}/dictionaries`)
      await page.getByRole('heading', { level: 1, name: '数据字典' }).waitFor()
      const drawerButton = page.getByRole('button', { name: '打开菜单' })
      expect(await drawerButton.isVisible()).toBe(true)
      expect(await page.locator('aside.sidebar').isVisible()).toBe(false)
      expect(await hasHorizontalScroll(page)).toBe(false)
      await screenshot(page, 'dictionaries-375')

      await drawerButton.click()
      const drawer = page.getByRole('dialog', { name: '主导航' })
      await drawer.getByRole('link', { name: '数据字典' }).waitFor()
      await screenshot(page, 'drawer-375')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })

    it('opens a dictionary as cards that fit the screen', async () => {
      await page.getByRole('table').getByRole('link').first().click()
      await page.waitForURL(/\/dictionaries\/[^/]+$/)
      await page.getByRole('button', { name: '新建字典项' }).waitFor()
      expect(await hasHorizontalScroll(page)).toBe(false)
      await screenshot(page, 'dictionary-375', true)
      expect(browser.errors).toEqual([])
    })
  })
})
