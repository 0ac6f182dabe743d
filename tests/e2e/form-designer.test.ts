import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import type { RunningServer } from './support/server.js'
import { openSignedIn, signIn, useToken } from './support/session.js'
import { api, hasHorizontalScroll, screenshot } from './support/ui.js'

/**
 * The form designer end to end on the archives plugin's 各项荣誉 (archive_honours) form: the
 * system administrator adds the hospital's own fields (a filterable text, a select shown only
 * when the text is filled), reorders them with the keyboard, previews at 375 px and publishes;
 * a staff member then fills the new fields, the condition works, the record saves, and the
 * list filters by the new field; the versions tab shows version 2 and the diff names the fields.
 */
const FORM = 'archive_honours'
const HOSPITAL_NO = 'E2E-院内-0001'

async function toast(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).first().waitFor()
}

/** The outline's order of fields in the section that holds `name`. */
async function outlineOrder(page: Page): Promise<string[]> {
  return page
    .locator('[data-field]')
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-field') ?? ''))
}

describe('form designer', () => {
  let server: RunningServer
  let admin: TestBrowser
  let staff: TestBrowser
  let page: Page
  let adminToken: string
  let staffToken: string

  beforeAll(async () => {
    ;({ server, token: adminToken, browser: admin, page } = await openSignedIn('sysadmin'))
  })

  afterAll(async () => {
    await admin?.close()
    await staff?.close()
    await server?.stop()
  })

  it('lists the forms, reachable from the navigation', async () => {
    await page.goto(`${server.url}/`)
    await page.getByRole('navigation').getByRole('link', { name: '表单管理' }).click()
    await page.getByRole('heading', { name: '表单管理', level: 1 }).waitFor()
    const row = page.locator('table.forms tbody tr').filter({ hasText: FORM })
    expect(await row.innerText()).toContain('版本 1')
    expect(await row.innerText()).toContain('插件 archives')
    await row.getByRole('link', { name: '各项荣誉' }).click()
    await page.getByRole('heading', { name: '各项荣誉', level: 1 }).waitFor()
    // A plugin's own field cannot be deleted.
    expect(await page.getByRole('button', { name: '删除字段“荣誉名称”' }).isDisabled()).toBe(true)
  })

  it("adds a filterable text and a conditional select; the server's refusal shows at the field", async () => {
    await page.getByRole('button', { name: '添加单行文本字段' }).click()
    await page.locator('#fd-prop-name').fill('hospitalNo')
    await page.locator('#fd-prop-name').blur()
    await page.locator('[data-field="hospitalNo"]').waitFor()
    await page.locator('#fd-prop-label-zh').fill('')
    await page.getByRole('button', { name: '保存草稿' }).click()
    // Refused by the server (no zh-CN label): the reason shows in the field's property panel.
    const labelError = page
      .locator('.props .field.invalid')
      .filter({ has: page.locator('#fd-prop-label-zh') })
      .locator('.error')
    await labelError.waitFor()
    expect(await labelError.innerText()).toContain('请填写中文名称')
    await page.locator('#fd-prop-label-zh').fill('院内编号')
    await page.locator('#fd-prop-label-en').fill('Hospital number')
    await page.locator('#fd-prop-filterable').check()

    await page.getByRole('button', { name: '添加单选字段' }).click()
    await page.locator('#fd-prop-name').fill('track')
    await page.locator('#fd-prop-name').blur()
    await page.locator('[data-field="track"]').waitFor()
    await page.locator('#fd-prop-label-zh').fill('院内分类')
    await page.getByLabel('第1项中文名称').fill('临床')
    await page.getByRole('button', { name: '+ 添加选项' }).click()
    await page.getByLabel('第2项中文名称').fill('科研')
    const visible = page.getByRole('group', { name: '满足条件时显示' })
    await visible.getByRole('button', { name: '+ 添加条件' }).click()
    await visible.getByRole('combobox', { name: '条件字段' }).selectOption('hospitalNo')
    await visible.getByRole('combobox', { name: '运算符' }).selectOption('filled')
    await page.getByRole('button', { name: '保存草稿' }).click()
    await toast(page, '草稿已保存')
  })

  it('reorders with the keyboard, keeping the focus on the moved field', async () => {
    const before = await outlineOrder(page)
    expect(before.slice(-2)).toEqual(['hospitalNo', 'track'])
    await page.getByRole('button', { name: '上移“院内分类”' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement?.id === 'fd-up-track')
    expect((await outlineOrder(page)).slice(-2)).toEqual(['track', 'hospitalNo'])
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fd-down-track')
    await page.keyboard.press('Enter')
    expect((await outlineOrder(page)).slice(-2)).toEqual(['hospitalNo', 'track'])
  })

  it("reorders and adds by dragging, and deletes the hospital's own field", async () => {
    const dropzone = page.locator('.dropzone').first()
    await page.locator('[data-field="hospitalNo"]').dragTo(dropzone)
    expect((await outlineOrder(page)).slice(-2)).toEqual(['track', 'hospitalNo'])
    await page.locator('[data-field="hospitalNo"]').dragTo(page.locator('[data-field="track"]'))
    expect((await outlineOrder(page)).slice(-2)).toEqual(['hospitalNo', 'track'])
    // The palette item's own drag events, carrying one DataTransfer from the item to the drop zone.
    const transfer = await page.evaluateHandle(() => new DataTransfer())
    await page.locator('li[data-kind="date"]').dispatchEvent('dragstart', { dataTransfer: transfer })
    await dropzone.dispatchEvent('dragover', { dataTransfer: transfer })
    await dropzone.dispatchEvent('drop', { dataTransfer: transfer })
    const added = (await outlineOrder(page)).at(-1)!
    expect(added).toMatch(/^field\d+$/)
    await page.getByRole('button', { name: /^删除字段“日期/ }).click()
    expect(await outlineOrder(page)).not.toContain(added)
  })

  it('edits list rows from the keyboard: sub-table columns move and go, options and conditions go', async () => {
    const fieldValues = (group: ReturnType<Page['getByRole']>, label: RegExp) =>
      group
        .getByRole('textbox', { name: label })
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
    await page.getByRole('button', { name: '添加子表字段' }).click()
    const columns = page.getByRole('group', { name: '子表列' })
    // The one column a sub-table needs can be neither moved nor removed.
    for (const name of ['上移第1列', '下移第1列', '删除第1列'])
      expect(await columns.getByRole('button', { name }).isDisabled()).toBe(true)
    await columns.getByRole('button', { name: '+ 添加列' }).click()
    expect(await fieldValues(columns, /^第\d列字段名$/)).toEqual(['item', 'col2'])
    await columns.getByRole('button', { name: '上移第2列' }).focus()
    await page.keyboard.press('Enter')
    expect(await fieldValues(columns, /^第\d列字段名$/)).toEqual(['col2', 'item'])
    await columns.getByRole('button', { name: '下移第1列' }).focus()
    await page.keyboard.press('Enter')
    expect(await fieldValues(columns, /^第\d列字段名$/)).toEqual(['item', 'col2'])
    await columns.getByRole('button', { name: '删除第1列' }).focus()
    await page.keyboard.press('Enter')
    expect(await fieldValues(columns, /^第\d列字段名$/)).toEqual(['col2'])
    expect(await columns.getByRole('button', { name: '删除第1列' }).isDisabled()).toBe(true)
    await page.getByRole('button', { name: /^删除字段“子表/ }).click()

    await page.getByRole('button', { name: '添加单选字段' }).click()
    const options = page.getByRole('group', { name: '选项' })
    await options.getByRole('button', { name: '+ 添加选项' }).click()
    await options.getByLabel('第2项的值').fill('b')
    await options.getByRole('button', { name: '删除第1项' }).focus()
    await page.keyboard.press('Enter')
    expect(await fieldValues(options, /^第\d项的值$/)).toEqual(['b'])
    const visible = page.getByRole('group', { name: '满足条件时显示' })
    await visible.getByRole('button', { name: '+ 添加条件' }).click()
    await visible.getByRole('button', { name: '删除第1条条件' }).focus()
    await page.keyboard.press('Enter')
    expect(await visible.getByRole('combobox', { name: '条件字段' }).count()).toBe(0)
    await page.getByRole('button', { name: /^删除字段“单选/ }).click()
    expect((await outlineOrder(page)).slice(-2)).toEqual(['hospitalNo', 'track'])
  })

  it('previews with the real renderer at 375 px: one column, and the condition works', async () => {
    const preview = page.getByTestId('form-preview')
    await page.getByRole('radio', { name: '手机（375像素）' }).check()
    const box = await preview.boundingBox()
    expect(box!.width).toBeLessThanOrEqual(375)
    expect(await preview.locator('#field-track').count()).toBe(0)
    await preview.locator('#field-hospitalNo').fill('X1')
    await preview.locator('#field-track').waitFor()
    const [a, b] = await Promise.all([
      preview.locator('#field-name').boundingBox(),
      preview.locator('#field-level').boundingBox()
    ])
    expect(Math.abs(a!.x - b!.x)).toBeLessThan(2)
    await preview.scrollIntoViewIfNeeded()
    const whole = await screenshot(page, 'form-designer-designer')
    // The phone frame alone, as a phone user would see the form.
    await preview.screenshot({ path: whole.replace('form-designer-designer', 'form-designer-preview-375') })
  })

  it('publishes with a comment as version 2', async () => {
    await page.getByRole('button', { name: '发布', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: '发布表单' })
    await dialog.getByLabel('发布说明').fill('增加院内编号与分类')
    await dialog.getByRole('button', { name: '发布新版本' }).click()
    await toast(page, '已发布版本 2')
    const published = await api<{
      version: number
      body: { fields: Array<{ name: string; custom?: boolean; filterable?: boolean }> }
    }>(server.url, adminToken, `definitions/form:${FORM}:published`)
    expect(published.version).toBe(2)
    expect(published.body.fields.find((f) => f.name === 'hospitalNo')).toMatchObject({
      custom: true,
      filterable: true
    })
    expect(admin.errors).toEqual([])
  })

  it('a staff member fills the new fields, the condition works, and the list filters by the new field', async () => {
    staff = await launchBrowser()
    staffToken = await signIn(server.url, 'yisheng')
    await useToken(staff, staffToken)
    const p = await staff.page()
    await p.goto(`${server.url}/records/${FORM}/new`)
    await p.locator('#field-hospitalNo').waitFor()
    expect(await p.locator('#field-track').count()).toBe(0)
    await p.getByRole('combobox', { name: /人员/ }).fill('心内科医生')
    await p.getByRole('option', { name: /心内科医生/ }).click()
    await p.locator('#field-name').fill('院级优秀医师')
    await p.locator('#field-level').selectOption({ index: 1 })
    await p.locator('#field-date').fill('2026-01-15')
    await p.locator('#field-hospitalNo').fill(HOSPITAL_NO)
    await p.locator('#field-track').selectOption({ label: '科研' })
    await p.getByRole('button', { name: '保存' }).click()
    await p.getByRole('heading', { name: '院级优秀医师', level: 1 }).waitFor()
    expect(await p.locator('main').innerText()).toContain(HOSPITAL_NO)

    await p.goto(`${server.url}/records/${FORM}`)
    await p.getByRole('button', { name: '筛选' }).click()
    const builder = p.getByRole('form', { name: '复合筛选' })
    await builder.getByRole('button', { name: '添加条件', exact: true }).click()
    const rule = builder.getByRole('group', { name: '条件 1' }).first()
    await rule.getByRole('combobox', { name: '字段' }).selectOption('hospitalNo')
    await rule.getByRole('combobox', { name: '运算' }).selectOption({ label: '等于' })
    await rule.getByRole('textbox', { name: '值' }).fill(HOSPITAL_NO)
    await builder.getByRole('button', { name: /应用筛选/ }).click()
    await p.getByText('共 1 条', { exact: false }).first().waitFor()
    expect(new URL(p.url()).searchParams.get('q')).toContain('hospitalNo')
    await p.locator('table.records').getByText('院级优秀医师').first().waitFor()
    expect(staff.errors).toEqual([])
  })

  it('shows version 2 in the versions tab, and the diff names the added fields', async () => {
    await page.goto(`${server.url}/admin/forms/${FORM}?tab=versions`)
    const versions = page.locator('table.versions tbody tr')
    await versions.first().waitFor()
    expect(await versions.first().innerText()).toContain('版本 2')
    expect(await versions.first().innerText()).toContain('增加院内编号与分类')
    expect(await versions.nth(1).innerText()).toContain('版本 1')
    await page.getByRole('button', { name: '对比' }).click()
    const diff = page.getByTestId('form-diff')
    await diff.waitFor()
    expect(await diff.innerText()).toMatch(/新增字段：\s*hospitalNo、track/)
    await screenshot(page, 'form-designer-versions', true)
  })

  it('designs the list: widths, default sort, a shared filter everyone opens the list with', async () => {
    await page.getByRole('tab', { name: '列表视图' }).click()
    await page.getByLabel('“荣誉名称”列宽').fill('240')
    await page.getByLabel('“荣誉名称”列宽').blur()
    await page.locator('#fd-list-sort').selectOption('date')
    const views = page.getByRole('region', { name: '共享筛选（对所有人可用）' })
    await views.getByLabel('视图名称').fill('本院编号E2E')
    const builder = views.getByRole('form', { name: '复合筛选' })
    await builder.getByRole('button', { name: '添加条件', exact: true }).click()
    const rule = builder.getByRole('group', { name: '条件 1' }).first()
    await rule.getByRole('combobox', { name: '字段' }).selectOption('hospitalNo')
    await rule.getByRole('combobox', { name: '运算' }).selectOption({ label: '等于' })
    await rule.getByRole('textbox', { name: '值' }).fill(HOSPITAL_NO)
    await views.getByRole('button', { name: '保存为共享视图' }).click()
    await views.getByRole('radio', { name: '本院编号E2E' }).check()
    await page.getByRole('button', { name: '发布', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: '发布表单' })
    await dialog.getByLabel('发布说明').fill('列表默认视图')
    await dialog.getByRole('button', { name: '发布新版本' }).click()
    await toast(page, '已发布版本 3')

    // Another record of the staff member, without 院内编号: the default view leaves it out.
    const [first] = (
      await api<{ data: Array<Record<string, unknown>> }>(
        server.url,
        staffToken,
        `${FORM.replace('_', '-')}?$limit=1`
      )
    ).data
    await api(server.url, staffToken, FORM.replace('_', '-'), {
      method: 'POST',
      body: { staffId: first.staffId, name: '另一项荣誉', level: first.level, date: '2025-06-01' }
    })
    const p = await staff.page()
    await p.goto(`${server.url}/records/${FORM}`)
    await p.waitForURL((url) => url.searchParams.has('view'))
    await p.getByText('共 1 条', { exact: false }).first().waitFor()
    const width = await p
      .locator('table.records th')
      .filter({ hasText: '荣誉名称' })
      .evaluate((th) => th.getBoundingClientRect().width)
    expect(Math.round(width)).toBe(240)
    expect(staff.errors).toEqual([])
  })

  it('works on a 375 px phone: the forms list and the designer fit, one column', async () => {
    const phone = await launchBrowser({ viewport: { width: 375, height: 812 } })
    try {
      await useToken(phone, adminToken)
      const p = await phone.page()
      await p.goto(`${server.url}/admin/forms`)
      await p.getByRole('heading', { name: '表单管理', level: 1 }).waitFor()
      expect(await hasHorizontalScroll(p)).toBe(false)
      await p.goto(`${server.url}/admin/forms/${FORM}`)
      await p.getByRole('heading', { name: '各项荣誉', level: 1 }).waitFor()
      const [palette, outline] = await Promise.all([
        p.locator('.palette').boundingBox(),
        p.locator('.tree').boundingBox()
      ])
      expect(outline!.y).toBeGreaterThan(palette!.y + palette!.height - 1)
      expect(await hasHorizontalScroll(p)).toBe(false)
      await screenshot(p, 'form-designer-375')
      expect(phone.errors).toEqual([])
    } finally {
      await phone.close()
    }
  })
})
