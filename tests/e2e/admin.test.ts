import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestBrowser } from './support/browser.js'
import type { RunningServer } from './support/server.js'
import { openSignedIn } from './support/session.js'

/** The system administrator: manages modules and dictionaries. */
const USER = 'sysadmin'

interface PluginJson {
  name: string
  label: Record<string, string>
  essential: boolean
}

describe('administration pages', () => {
  let server: RunningServer
  let browser: TestBrowser
  let page: Page
  let token: string

  beforeAll(async () => {
    ;({ server, token, browser, page } = await openSignedIn(USER))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('lists plugins; essential ones cannot be switched off', async () => {
    const res = await fetch(`${server.url}/api/plugins`, { headers: { authorization: `Bearer ${token}` } })
    const plugins = (await res.json()) as PluginJson[]
    await page.goto(`${server.url}/admin/plugins`)
    for (const plugin of plugins) {
      const toggle = page.getByRole('switch', { name: `启用“${plugin.label['zh-CN']}”` })
      await toggle.waitFor()
      expect(await toggle.isDisabled(), plugin.name).toBe(plugin.essential)
    }
    expect(browser.errors).toEqual([])
  })

  it('creates, edits and disables a dictionary item, showing the server’s field errors', async () => {
    await page.goto(`${server.url}/dictionaries/sex`)
    await page.getByRole('button', { name: '新建字典项' }).click()
    const dialog = page.getByRole('dialog', { name: '新建字典项' })
    await dialog.getByLabel('编码').fill('not valid!')
    await dialog.getByLabel('中文名称').fill('测试项')
    await dialog.getByRole('button', { name: '保存' }).click()

    // The server refuses the code; its reason shows under the field, which takes the focus.
    const code = dialog.getByLabel('编码')
    await page.waitForFunction(
      () => document.getElementById('item-code')?.getAttribute('aria-invalid') === 'true'
    )
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true)
    expect((await dialog.locator('#item-code-error').innerText()).length).toBeGreaterThan(0)

    await code.fill('e2e_item')
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: '编辑“测试项”' }).click()
    const edit = page.getByRole('dialog', { name: '编辑字典项' })
    await edit.getByLabel('中文名称').fill('测试项（改）')
    await edit.getByLabel('英文名称').fill('Test item')
    await edit.getByRole('button', { name: '保存' }).click()
    await edit.waitFor({ state: 'hidden' })

    await page.getByRole('button', { name: '停用“测试项（改）”' }).click()
    await page.getByRole('button', { name: '启用“测试项（改）”' }).waitFor()
    const items = await fetch(`${server.url}/api/dictionary-items?dictionary=sex&code=e2e_item`, {
      headers: { authorization: `Bearer ${token}` }
    })
    const [saved] = ((await items.json()) as { data: Array<Record<string, unknown>> }).data
    expect(saved).toMatchObject({
      code: 'e2e_item',
      label: { 'zh-CN': '测试项（改）', 'en-US': 'Test item' },
      enabled: false
    })
    expect(browser.errors).toEqual([])
  })
})
