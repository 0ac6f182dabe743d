import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockingViolations as audit } from './support/axe.js'
import { launchBrowser, type LaunchOptions, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'
import { api } from './support/ui.js'

/**
 * axe-core on the main pages, on a PC and on a 375 px phone: any violation of serious or
 * critical impact fails, listed with the rule and the elements it found.
 */
const PHONE: LaunchOptions = {
  viewport: { width: 375, height: 812 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2
}

interface Target {
  name: string
  user: string | null
  path: () => string
  /** What shows once the page has its data. */
  ready: (page: Page) => Promise<unknown>
}

/** Opens a list's dialog by its button and waits for it. */
async function openDialog(page: Page, button: string, title: string | RegExp): Promise<void> {
  await page.locator('table.records').waitFor()
  await page.getByRole('button', { name: button, exact: true }).click()
  await page.getByRole('dialog', { name: title }).waitFor()
}

describe('accessibility of the main pages (axe)', () => {
  let server: RunningServer
  const tokens: Record<string, string> = {}
  let paperId = ''

  const h1 = (page: Page) => page.locator('main h1, h1').first().waitFor()
  const targets: Target[] = [
    { name: 'login', user: null, path: () => '/login', ready: (p) => p.getByLabel('工号').waitFor() },
    { name: 'home', user: 'renshi', path: () => '/', ready: h1 },
    {
      name: 'records list',
      user: 'renshi',
      path: () => '/records/archive_papers',
      ready: (p) => p.locator('table.records').waitFor()
    },
    {
      name: 'export dialog',
      user: 'renshi',
      path: () => '/records/archive_papers',
      ready: (p) => openDialog(p, '导出', '导出数据')
    },
    {
      name: 'import dialog',
      user: 'renshi',
      path: () => '/records/archive_papers',
      ready: (p) => openDialog(p, '导入', /导入：/)
    },
    {
      name: 'record detail',
      user: 'renshi',
      path: () => `/records/archive_papers/${paperId}`,
      ready: (p) => p.getByRole('heading', { name: '无障碍测试论文', level: 1 }).waitFor()
    },
    {
      name: 'record form',
      user: 'renshi',
      path: () => '/records/archive_papers/new',
      ready: (p) => p.locator('form').first().waitFor()
    },
    { name: 'recycle bin', user: 'renshi', path: () => '/admin/recycle-bin', ready: h1 },
    { name: 'audit', user: 'auditadmin', path: () => '/admin/audit', ready: h1 },
    { name: 'notifications', user: 'renshi', path: () => '/notifications', ready: h1 },
    {
      name: 'users admin',
      user: 'sysadmin',
      path: () => '/admin/users',
      ready: (p) => p.locator('table.rtable').first().waitFor()
    },
    { name: 'my jobs', user: 'renshi', path: () => '/jobs', ready: h1 }
  ]

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    for (const user of new Set(targets.map((t) => t.user).filter((u): u is string => !!u)))
      tokens[user] = await signIn(server.url, user)
    const staff = await api<{ data: Array<{ id: string }> }>(
      server.url,
      tokens.renshi,
      'users?username=yisheng'
    )
    const paper = await api<{ id: string }>(server.url, tokens.renshi, 'archive-papers', {
      method: 'POST',
      body: {
        staffId: staff.data[0].id,
        title: '无障碍测试论文',
        journal: '中华医学杂志',
        publishDate: '2024-03-01',
        journalLevel: 'cma',
        authorRole: 'first'
      }
    })
    paperId = paper.id
  })

  afterAll(async () => {
    await server?.stop()
  })

  for (const [layout, options] of [
    ['PC', {}],
    ['375 px', PHONE]
  ] as const) {
    describe(`on ${layout}`, () => {
      const browsers = new Map<string, TestBrowser>()

      async function pageAs(user: string | null): Promise<Page> {
        const key = user ?? ''
        let browser = browsers.get(key)
        if (!browser) {
          browser = await launchBrowser(options)
          if (user) await useToken(browser, tokens[user])
          browsers.set(key, browser)
        }
        return browser.page()
      }

      afterAll(async () => {
        for (const b of browsers.values()) await b.close()
      })

      it('the check itself catches a critical violation (a button without a name)', async () => {
        const page = await pageAs(null)
        await page.goto(`${server.url}/login`)
        await page.getByLabel('工号').waitFor()
        await page.evaluate(() =>
          document.querySelector('main, body')!.append(document.createElement('button'))
        )
        expect((await audit(page)).join('\n')).toMatch(/critical button-name/)
      })

      for (const target of targets) {
        it(`${target.name} has no serious or critical violation`, async () => {
          const page = await pageAs(target.user)
          await page.goto(`${server.url}${target.path()}`)
          await target.ready(page)
          expect(await audit(page)).toEqual([])
        })
      }
    })
  }
})
