import { authenticator } from 'otplib'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/demo-hospital.js'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn } from './support/session.js'
import { api, hasHorizontalScroll, screenshot, storedToken, uiLogin } from './support/ui.js'

/** Signing in and out, forced password change, second factor: all through the web pages. */
describe('identity: sign-in and my account', () => {
  let server: RunningServer
  let sysToken: string

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    sysToken = await signIn(server.url, 'sysadmin')
  })

  afterAll(async () => {
    await server?.stop()
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
      page = await browser.page()
    })

    afterAll(async () => {
      await browser?.close()
    })

    it('sends a visitor to the login page, shows attempts left, then returns to the wanted page', async () => {
      await page.goto(`${server.url}/dictionaries?page=1`)
      await page.waitForURL(`${server.url}/login?next=${encodeURIComponent('/dictionaries?page=1')}`)
      expect(await hasHorizontalScroll(page)).toBe(false)
      await screenshot(page, 'login-375')

      await page.getByLabel('工号').fill('yiwu')
      await page.getByLabel('密码').fill('not-the-password')
      await page.getByRole('button', { name: '登录', exact: true }).click()
      const alert = page.getByRole('alert').filter({ hasText: '工号或密码错误' })
      await alert.waitFor()
      expect(await alert.innerText()).toContain('还可尝试 4 次')
      // The password field takes the focus and points at the message.
      const password = page.getByLabel('密码')
      expect(await password.evaluate((el) => el === document.activeElement)).toBe(true)
      expect(await password.getAttribute('aria-describedby')).toBe('login-error')
      await screenshot(page, 'login-error-375')

      await password.fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: '登录', exact: true }).click()
      await page.waitForURL(`${server.url}/dictionaries?page=1`)
      await page.getByRole('heading', { level: 1, name: '数据字典' }).waitFor()
      expect(await storedToken(page)).toBeTruthy()
    })

    it('shows my account and signs out from the user menu, ending the session on the server', async () => {
      await page.goto(`${server.url}/account`)
      await page.getByRole('heading', { name: '个人信息' }).waitFor()
      await page.locator('dd', { hasText: '医务部' }).waitFor()
      expect(await hasHorizontalScroll(page)).toBe(false)
      await screenshot(page, 'account-375', true)

      const token = (await storedToken(page))!
      await page.getByRole('button', { name: '用户菜单：医务管理员' }).click()
      await page.getByRole('link', { name: '我的账户' }).waitFor()
      await page.getByRole('button', { name: '退出登录' }).click()
      await page.waitForURL(`${server.url}/login`)
      expect(await storedToken(page)).toBeNull()
      const res = await fetch(`${server.url}/api/account`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(401)
      expect(((await res.json()) as { data?: { sessionEnded?: boolean } }).data?.sessionEnded).toBe(true)
      expect(browser.errors).toEqual([])
    })
  })

  describe('on a PC', () => {
    let browser: TestBrowser
    let page: Page

    beforeAll(async () => {
      browser = await launchBrowser()
      page = await browser.page()
    })

    afterAll(async () => {
      await browser?.close()
    })

    it('forces a new user to change the initial password before anything else', async () => {
      await api(server.url, sysToken, 'users', {
        method: 'POST',
        body: { username: 'e2e_new', name: '新同事', password: 'Init@2026x' }
      })
      await page.goto(`${server.url}/login`)
      await uiLogin(page, server.url, 'e2e_new', 'Init@2026x')
      await page.waitForURL(/\/account\/password/)
      await page.getByText('请先修改初始密码', { exact: false }).waitFor()
      expect(await page.getByRole('navigation', { name: '主导航' }).count()).toBe(0)
      // Nothing else is reachable meanwhile.
      await page.goto(`${server.url}/admin/users`)
      await page.waitForURL(/\/account\/password/)

      await page.getByLabel('当前密码').fill('Init@2026x')
      await page.getByLabel('新密码', { exact: true }).fill('short')
      await page.getByLabel('再次输入新密码').fill('short')
      await page.getByRole('button', { name: '修改密码' }).click()
      const next = page.getByLabel('新密码', { exact: true })
      await page.waitForFunction(
        () => document.getElementById('pw-newPassword')?.getAttribute('aria-invalid') === 'true'
      )
      expect(await next.evaluate((el) => el === document.activeElement)).toBe(true)

      // The policy holds on the client; the server still refuses a wrong current password at its field.
      await page.getByLabel('当前密码').fill('Wrong@2026x')
      await next.fill('Fresh#Pass2027')
      await page.getByLabel('再次输入新密码').fill('Fresh#Pass2027')
      await page.getByRole('button', { name: '修改密码' }).click()
      await page.locator('#pw-currentPassword-error').waitFor()
      expect(await page.locator('#pw-currentPassword-error').innerText()).toContain('当前密码不正确')

      await page.getByLabel('当前密码').fill('Init@2026x')
      await page.getByRole('button', { name: '修改密码' }).click()
      await page.waitForURL(`${server.url}/`)
      await page.getByRole('navigation', { name: '主导航' }).waitFor()
      const token = await signIn(server.url, 'e2e_new', 'Fresh#Pass2027')
      expect((await api<{ restriction: string | null }>(server.url, token, 'account')).restriction).toBeNull()
      await page.getByRole('button', { name: /用户菜单/ }).click()
      await page.getByRole('button', { name: '退出登录' }).click()
      await page.waitForURL(`${server.url}/login`)
    })

    it('sets up a second factor with a QR code and then signs in with a code', async () => {
      await uiLogin(page, server.url, 'kemishu')
      await page.goto(`${server.url}/account/security`)
      await page.getByRole('button', { name: '开始设置' }).click()
      await page.getByRole('img', { name: '动态验证码绑定二维码' }).locator('svg').waitFor()
      const secret = (await page.locator('[data-testid="totp-secret"]').getAttribute('data-secret'))!
      expect(secret).toMatch(/^[A-Z2-7]+$/)
      await page.getByLabel('6 位验证码').fill(authenticator.generate(secret))
      await page.getByRole('button', { name: '验证并启用' }).click()
      await page.getByRole('heading', { name: '停用动态验证码' }).waitFor()

      await page.getByRole('button', { name: /用户菜单/ }).click()
      await page.getByRole('button', { name: '退出登录' }).click()
      await page.waitForURL(`${server.url}/login`)
      await page.getByLabel('工号').fill('kemishu')
      await page.getByLabel('密码').fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: '登录', exact: true }).click()
      const code = page.getByLabel('6 位验证码')
      await code.waitFor()
      expect(await code.evaluate((el) => el === document.activeElement)).toBe(true)
      await code.fill('000000')
      await page.getByRole('button', { name: '验证并登录' }).click()
      await page.getByRole('alert').filter({ hasText: '验证码不正确' }).waitFor()
      // The code that enabled the factor is spent; the next one signs in.
      await code.fill(authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret))
      await page.getByRole('button', { name: '验证并登录' }).click()
      await page.waitForURL(`${server.url}/`)
      await page.getByRole('button', { name: '用户菜单：心内科秘书' }).waitFor()
    })

    it('returns to the login page when the session ends elsewhere', async () => {
      const token = (await storedToken(page))!
      await api(server.url, token, `authentication/${token}`, { method: 'DELETE' })
      // The next call that reaches the server is refused: back to the login page. A live call
      // of the open page (the bell, a socket re-check) may get there before the click does,
      // so either way is right as long as the way back is kept in `next`.
      const nav = page.getByRole('navigation', { name: '主导航' })
      await nav
        .getByRole('link', { name: '组织架构' })
        .click({ timeout: 5_000 })
        .catch(() => undefined)
      // From the home page itself the way back is plain /login (nothing to come back to).
      const backAtLogin = /\/login(\?next=%2Fadmin%2Fdepartments)?$/
      // Under load the page may have all it needs already; a reload is the next call then.
      const live = await page.waitForURL(backAtLogin, { timeout: 10_000 }).then(
        () => true,
        () => false
      )
      if (!live) await page.reload()
      await page.waitForURL(backAtLogin).catch((error: unknown) => {
        throw new Error(`still at ${page.url()}: ${String(error)}`)
      })
      expect(await storedToken(page)).toBeNull()
      // A fresh visit with a dead token goes there too.
      await page.evaluate((t) => localStorage.setItem('feathers-jwt', t), token)
      await page.goto(`${server.url}/dictionaries`)
      await page.waitForURL(`${server.url}/login?next=%2Fdictionaries`)
      expect(await storedToken(page)).toBeNull()
      expect(browser.errors).toEqual([])
    })
  })
})
