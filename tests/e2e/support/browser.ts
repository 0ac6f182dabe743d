import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'

/** Debian's chromium; Playwright's own browsers are never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export interface TestBrowser {
  context: BrowserContext
  /** Uncaught page errors seen in any page of this browser. */
  errors: string[]
  /** The window's tab (a persistent context opens with one), or a new one. */
  page(): Promise<Page>
  /** Closes Chromium and removes its profile folder. */
  close(): Promise<void>
}

export type LaunchOptions = Omit<BrowserContextOptions, 'storageState'>

/**
 * Launches headless Chromium through playwright-core with a fresh --user-data-dir of its
 * own (a persistent context over a new temporary folder), zh-CN and 1280×800 unless told
 * otherwise. One launch per viewport keeps phone emulation (isMobile) honest.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'medaffairs-e2e-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
    ...options
  })
  // Fail a step in seconds, well inside vitest's test timeout.
  // Generous: CI runs browser tests beside the storage suites on two cores.
  context.setDefaultTimeout(30_000)
  const errors: string[] = []
  const watch = (page: Page) => page.on('pageerror', (error) => errors.push(error.message))
  context.pages().forEach(watch)
  context.on('page', watch)
  return {
    context,
    errors,
    page: async () => context.pages()[0] ?? context.newPage(),
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
  }
}
