import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'
import { api, hasHorizontalScroll, screenshot } from './support/ui.js'

interface Page_<T> {
  total: number
  data: T[]
}
interface Dept {
  id: string
  code: string
  parentId: string | null
  path: string
}
interface UserJson {
  id: string
  username: string
  roles?: string[]
  deptId?: string | null
}
interface RoleJson {
  id: string
  code: string
  grants: Array<{ collection: string; actions: string[] }>
}
interface ManifestJson {
  plugins: Array<{ menu: Array<{ path: string }> }>
}

const menuPaths = (m: ManifestJson) => m.plugins.flatMap((p) => p.menu.map((i) => i.path))

/** The organization, users, roles and masking pages, driven by the separated administrators. */
describe('identity administration', () => {
  let server: RunningServer
  let sysToken: string
  let secToken: string
  let sys: TestBrowser
  let sec: TestBrowser
  let sysPage: Page
  let secPage: Page

  beforeAll(async () => {
    ensureAppBuilt()
    server = await startServer()
    sysToken = await signIn(server.url, 'sysadmin')
    secToken = await signIn(server.url, 'secadmin')
    sys = await launchBrowser()
    await useToken(sys, sysToken)
    sysPage = await sys.page()
    sec = await launchBrowser()
    await useToken(sec, secToken)
    secPage = await sec.page()
  })

  afterAll(async () => {
    await sys?.close()
    await sec?.close()
    await server?.stop()
  })

  const dept = async (code: string) =>
    (await api<Page_<Dept>>(server.url, sysToken, `departments?code=${code}`)).data[0]

  it('creates a department and moves it under another by drag and drop', async () => {
    const page = sysPage
    await page.goto(`${server.url}/admin/departments`)
    await page.getByRole('button', { name: '新建科室', exact: true }).click()
    const form = page.getByRole('dialog', { name: '新建科室' })
    await form.getByLabel('编码').fill('E2E01')
    await form.getByRole('textbox', { name: '名称', exact: true }).fill('端到端测试科')
    await form.getByLabel('类型').selectOption('functional')
    await form.getByRole('button', { name: '保存' }).click()
    await form.waitFor({ state: 'hidden' })
    const row = page.locator('li[data-dept="E2E01"] > .row')
    await row.waitFor()
    expect((await dept('E2E01')).parentId).toBeNull()

    // A second department with the same code: refused at the field, in Chinese, nothing saved.
    await page.getByRole('button', { name: '新建科室', exact: true }).click()
    await form.getByLabel('编码').fill('E2E01')
    await form.getByRole('textbox', { name: '名称', exact: true }).fill('重复编码科')
    await form.getByLabel('类型').selectOption('functional')
    await form.getByRole('button', { name: '保存' }).click()
    await form.locator('#dept-code-error').getByText('已被其他记录使用').waitFor()
    await form.getByRole('button', { name: '取消' }).click()
    await form.waitFor({ state: 'hidden' })
    expect((await api<Page_<Dept>>(server.url, sysToken, 'departments?code=E2E01')).data).toHaveLength(1)

    const target = await dept('FN01')
    // Source and target both on screen: a drag that scrolls the page loses its source in headless Chromium.
    await page.setViewportSize({ width: 1280, height: 2400 })
    await row.dragTo(page.locator('li[data-dept="FN01"] > .row'))
    await page.locator('li[data-dept="FN01"] li[data-dept="E2E01"]').waitFor()
    const moved = await dept('E2E01')
    expect(moved.parentId).toBe(target.id)
    expect(moved.path).toBe(`${target.path}${moved.id}/`)

    // The keyboard way: "Move to…" and a select.
    await page.getByRole('button', { name: '移动“端到端测试科”到…' }).click()
    const dialog = page.getByRole('dialog', { name: '移动“端到端测试科”' })
    await dialog.getByLabel('新的上级科室').selectOption({ label: '（顶级）' })
    await dialog.getByRole('button', { name: '移动到…' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(async () => (await dept('E2E01')).parentId).toBeNull()
    await page.setViewportSize({ width: 1280, height: 800 })
    expect(sys.errors).toEqual([])
  })

  it('creates a user; the role goes through the security administrator', async () => {
    const page = sysPage
    const fn01 = await dept('FN01')
    await page.goto(`${server.url}/admin/users`)
    await page.getByRole('button', { name: '新建用户' }).click()
    const form = page.getByRole('dialog', { name: '新建用户' })
    await form.getByLabel('工号').fill('e2e_u1')
    await form.getByLabel('姓名').fill('端到端用户')
    await form.getByLabel('科室', { exact: true }).selectOption(fn01.id)
    await form.getByRole('checkbox', { name: '员工', exact: true }).check()
    await form.getByLabel('手动设置').check()
    await form.getByLabel('初始密码', { exact: true }).fill('Start@2026x')
    await form.getByRole('button', { name: '保存' }).click()
    // 三权分立: the system administrator may not assign roles; the refusal shows at the field.
    await form.locator('#user-roles-error').waitFor()
    expect(await form.locator('#user-roles-error').innerText()).toContain('无权修改')
    // The focus moves to the roles, which point at the message.
    expect(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null
        return el?.type === 'checkbox' && el.getAttribute('aria-describedby') === 'user-roles-error'
      })
    ).toBe(true)
    await form.getByRole('checkbox', { name: '员工', exact: true }).uncheck()
    await form.getByRole('button', { name: '保存' }).click()
    await form.waitFor({ state: 'hidden' })
    const [created] = (await api<Page_<UserJson>>(server.url, sysToken, 'users?username=e2e_u1')).data
    expect(created).toMatchObject({ deptId: fn01.id })

    // The security administrator assigns the role on the same page.
    await secPage.goto(`${server.url}/admin/users?q=e2e_u1`)
    await secPage.getByRole('button', { name: '编辑“端到端用户”' }).click()
    const edit = secPage.getByRole('dialog', { name: '编辑用户“端到端用户”' })
    await edit.getByRole('checkbox', { name: '员工', exact: true }).check()
    await edit.getByRole('button', { name: '保存' }).click()
    await edit.waitFor({ state: 'hidden' })
    await expect
      .poll(async () => (await api<UserJson>(server.url, secToken, `users/${created.id}`)).roles)
      .toEqual(['staff'])

    // A reset shows a generated password once; it signs in with a forced change.
    await page.goto(`${server.url}/admin/users?q=e2e_u1`)
    await page.getByRole('button', { name: '重置“端到端用户”的密码' }).click()
    await page.getByRole('dialog', { name: '重置密码' }).getByRole('button', { name: '重置密码' }).click()
    const secret = page.getByRole('dialog', { name: '“端到端用户”的初始密码' })
    const password = await secret.getByLabel('工号 e2e_u1 的密码').inputValue()
    await secret.getByRole('button', { name: '复制' }).click()
    await secret.getByRole('button', { name: '我已记下' }).click()
    const login = await fetch(`${server.url}/api/authentication`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ strategy: 'local', username: 'e2e_u1', password })
    })
    expect(
      ((await login.json()) as { authentication: { restriction: string } }).authentication.restriction
    ).toBe('password_change')
    expect(sys.errors).toEqual([])
  })

  it('lists users as cards on a phone, filtered on the server', async () => {
    const phone = await launchBrowser({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2
    })
    try {
      await useToken(phone, sysToken)
      const page = await phone.page()
      const fn = await dept('FN')
      await page.goto(`${server.url}/admin/users?dept=${fn.id}`)
      await page.getByRole('table').waitFor()
      const expected = await api<Page_<UserJson>>(server.url, sysToken, `users?$limit=0`)
      expect(expected.total).toBeGreaterThan(20)
      const counted = await page.getByText(/^共 \d+ 人$/).innerText()
      expect(Number(counted.match(/\d+/)![0])).toBeLessThan(expected.total)
      expect(await page.locator('tbody tr').count()).toBeLessThanOrEqual(20)
      expect(await hasHorizontalScroll(page)).toBe(false)
      await screenshot(page, 'users-375')
      expect(phone.errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('grants a role read access to a collection, and its holders then see that menu', async () => {
    const expertToken = await signIn(server.url, 'zhuanjia')
    const before = await api<ManifestJson>(server.url, expertToken, 'manifest')
    expect(menuPaths(before)).not.toContain('/admin/masking')

    const roles = await api<Page_<RoleJson>>(server.url, secToken, 'roles?code=expert')
    await secPage.goto(`${server.url}/admin/roles/${roles.data[0].id}`)
    await secPage.getByRole('heading', { name: '权限矩阵' }).waitFor()
    await secPage.getByRole('checkbox', { name: '隐私保护规则：查看', exact: true }).check()
    await secPage.getByRole('button', { name: '保存角色' }).click()
    await secPage.getByText('已保存角色“评审专家”').waitFor()
    const saved = await api<RoleJson>(server.url, secToken, `roles/${roles.data[0].id}`)
    expect(saved.grants).toContainEqual(
      expect.objectContaining({ collection: 'masking_rules', actions: ['read'] })
    )

    const expert = await launchBrowser()
    try {
      await useToken(expert, expertToken)
      const page = await expert.page()
      await page.goto(`${server.url}/`)
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '隐私保护' }).waitFor()
      expect(expert.errors).toEqual([])
    } finally {
      await expert.close()
    }
  })

  it('previews a masking rule live and saves it', async () => {
    const page = secPage
    await page.goto(`${server.url}/admin/masking`)
    await page.getByRole('button', { name: '新建脱敏规则' }).click()
    const form = page.getByRole('dialog', { name: '新建脱敏规则' })
    await form.getByLabel('数据表').selectOption('users')
    await form.getByLabel('字段', { exact: true }).selectOption('mobile')
    await form.getByLabel('脱敏方式').selectOption('mobile')
    const preview = form.locator('#mask-preview')
    await expect.poll(() => preview.innerText()).toBe('138****5678')
    await form.getByLabel('脱敏方式').selectOption('keep')
    await form.getByLabel('保留前几位').fill('2')
    await form.getByLabel('保留后几位').fill('3')
    await form.getByLabel('示例值（可修改）').fill('13812345678')
    await expect.poll(() => preview.innerText()).toBe('13******678')
    await form.getByRole('button', { name: '保存' }).click()
    await form.waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: '编辑“用户 · mobile”的规则' }).waitFor()
    const rules = await api<Page_<{ collection: string; field: string; rule: unknown }>>(
      server.url,
      secToken,
      'masking-rules'
    )
    expect(rules.data).toContainEqual(
      expect.objectContaining({
        collection: 'users',
        field: 'mobile',
        rule: { kind: 'keep', first: 2, last: 3 }
      })
    )
    expect(sec.errors).toEqual([])
  })
})
