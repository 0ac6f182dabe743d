import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { TOKEN_KEY } from '../../../app/src/lib/api/session.js'
import { DEMO_PASSWORD } from '../../../seeds/demo-hospital.js'

/** Screenshots go to E2E_SCREENSHOTS_DIR or a new temp folder; the paths are printed. */
const shots = process.env.E2E_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'medaffairs-e2e-shots-'))
mkdirSync(shots, { recursive: true })

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  const path = join(shots, `${name}.png`)
  await page.screenshot({ path, fullPage })
  console.log(`screenshot: ${path}`)
  return path
}

export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
}

/** Signs in through the login form (Chinese labels) and waits to leave the login page. */
export async function uiLogin(
  page: Page,
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD
): Promise<void> {
  if (!page.url().includes('/login')) await page.goto(`${baseUrl}/login`)
  await page.getByLabel('工号').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

/** The token the web app stored after signing in. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)
}

/** A JSON call to the API with a token, failing loudly. */
export async function api<T>(
  baseUrl: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<T> {
  const res = await fetch(`${baseUrl}/api/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'content-type': 'application/json'
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  })
  const body = (await res.json().catch(() => null)) as T & { message?: string }
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${body?.message}`)
  return body
}
