import { TOKEN_KEY } from '../../../app/src/lib/api/session.js'
import { DEMO_PASSWORD } from '../../../seeds/demo-hospital.js'
import type { Page } from 'playwright-core'
import { launchBrowser, type TestBrowser } from './browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './server.js'

/**
 * Signs a demo account in through the real API (`POST /api/authentication`) and returns its
 * access token, for tests that are not about signing in: they hand the browser the token
 * where the login page stores it (identity-auth.test.ts signs in through the page).
 */
export async function signIn(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/authentication`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ strategy: 'local', username, password })
  })
  const body = (await res.json()) as { accessToken?: string; message?: string }
  if (!res.ok || !body.accessToken)
    throw new Error(`sign-in of ${username} failed (${res.status}): ${body.message}`)
  return body.accessToken
}

/** Every page of the browser starts with `token` stored where the web app reads it. */
export async function useToken(browser: TestBrowser, token: string): Promise<void> {
  await browser.context.addInitScript(([key, value]) => localStorage.setItem(key, value), [
    TOKEN_KEY,
    token
  ] as const)
}

export interface SignedInPage {
  server: RunningServer
  token: string
  browser: TestBrowser
  page: Page
}

/**
 * The start of most page tests: the built app on a fresh server, and one browser page that is
 * signed in as `username`. Whatever was started is stopped again if a later step fails.
 */
export async function openSignedIn(username: string): Promise<SignedInPage> {
  ensureAppBuilt()
  const server = await startServer()
  let browser: TestBrowser | undefined
  try {
    const token = await signIn(server.url, username)
    browser = await launchBrowser()
    await useToken(browser, token)
    return { server, token, browser, page: await browser.page() }
  } catch (error) {
    await browser?.close()
    await server.stop()
    throw error
  }
}
