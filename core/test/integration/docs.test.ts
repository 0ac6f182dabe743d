import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from '../../../tests/e2e/support/browser.js'
import { archivePlugin } from './fixtures.js'
import { startIntegrationServer, type IntegrationTestServer } from './support.js'

// Serving files only: one driver.
describe('interactive API documentation at /api/docs', () => {
  let t: IntegrationTestServer
  beforeAll(async () => {
    t = await startIntegrationServer('pglite', [archivePlugin])
  })
  afterAll(() => t.close())

  it('serves a Chinese page whose scripts and styles all come from this server', async () => {
    const res = await fetch(`${t.url}/api/docs`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'")
    const html = await res.text()
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('医务管理平台接口文档')
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    expect(refs.length).toBeGreaterThan(3)
    for (const ref of refs) expect(ref, ref).toMatch(/^\/api\//)
    for (const asset of [
      'swagger-ui-bundle.js',
      'swagger-ui.css',
      'docs.js',
      'docs.css',
      'favicon-32x32.png'
    ]) {
      const a = await fetch(`${t.url}/api/docs/assets/${asset}`)
      expect(a.status, asset).toBe(200)
      expect((await a.arrayBuffer()).byteLength, asset).toBeGreaterThan(100)
    }
    expect(
      (await fetch(`${t.url}/api/docs/assets/swagger-ui-bundle.js`)).headers.get('content-type')
    ).toContain('javascript')
    for (const probe of ['package.json', '..%2F..%2Fpackage.json', 'index.html', 'swagger-initializer.js']) {
      expect((await fetch(`${t.url}/api/docs/assets/${probe}`)).status, probe).toBe(404)
    }
  })

  it('renders in a browser with every outside request blocked', async () => {
    let browser: TestBrowser | undefined
    try {
      browser = await launchBrowser()
      const outside: string[] = []
      const violations: string[] = []
      await browser.context.route('**/*', (route) => {
        if (route.request().url().startsWith(t.url)) return route.continue()
        outside.push(route.request().url())
        return route.abort()
      })
      const page = await browser.page()
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
      })
      await page.goto(`${t.url}/api/docs`)
      await page.getByText('MedAffairs 医务管理平台 API').first().waitFor()
      await page.locator('.opblock-tag', { hasText: 'papers' }).first().waitFor()
      expect(await page.locator('.opblock-tag-section').count()).toBeGreaterThan(5)
      expect(outside).toEqual([])
      expect(violations).toEqual([])
      expect(browser.errors).toEqual([])
    } finally {
      await browser?.close()
    }
  })
})
