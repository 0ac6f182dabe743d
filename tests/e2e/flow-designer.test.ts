import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { ensureAppBuilt, ROOT, startServer, type RunningServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'
import { hasHorizontalScroll, screenshot } from './support/ui.js'

/**
 * The flow designer on a plugin's flow (tests/e2e/fixtures/plugins/review-flow, loaded next
 * to the real plugins): the administrator inserts an approval between two nodes, sees the
 * validator's problem on it, fixes it and publishes version 2 with a comment. A new instance
 * then passes the new node, while one started on version 1 finishes on version 1.
 */
type Json = Record<string, any>

async function call(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json()) as Json }
}

/** A plugins folder with the real plugins and the fixture (linked, so they load as they are). */
function pluginsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'medaffairs-e2e-plugins-'))
  for (const name of readdirSync(join(ROOT, 'plugins')))
    symlinkSync(join(ROOT, 'plugins', name), join(dir, name))
  symlinkSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'plugins', 'review-flow'), join(dir, 'review-flow'))
  return dir
}

describe('flow designer', () => {
  let server: RunningServer
  let plugins: string
  let browser: TestBrowser
  let page: Page
  const token: Record<string, string> = {}

  /** A request of the doctor's, with the review flow started on it. */
  async function startReview(title: string): Promise<Json> {
    const rec = await call(server.url, token.yisheng, 'POST', 'review-requests', { title, level: '1' })
    expect(rec.status).toBe(201)
    const started = await call(server.url, token.yisheng, 'POST', 'flows/start', {
      flowKey: 'tech-review',
      collection: 'review_requests',
      recordId: rec.body.id
    })
    expect(started.status).toBe(201)
    return started.body
  }

  async function approveAs(who: string, instanceId: string): Promise<void> {
    const todo = await call(server.url, token[who], 'GET', 'flow-tasks?box=todo&$limit=100')
    const task = (todo.body.data as Json[]).find((x) => x.instanceId === instanceId)
    expect(task, `${who} has a task on ${instanceId}`).toBeTruthy()
    expect(
      (await call(server.url, token[who], 'POST', 'flow-actions', { taskId: task!.id, action: 'approve' }))
        .status
    ).toBe(201)
  }

  beforeAll(async () => {
    ensureAppBuilt()
    plugins = pluginsDir()
    server = await startServer({ env: { PLUGINS_DIR: plugins } })
    for (const who of ['sysadmin', 'yisheng', 'yiwu', 'zhuanjia']) token[who] = await signIn(server.url, who)
    browser = await launchBrowser()
    await useToken(browser, token.sysadmin)
    page = await browser.page()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (plugins) rmSync(plugins, { recursive: true, force: true })
  })

  let before: Json

  it("lists the plugin's flow from the navigation, for the system administrator only", async () => {
    before = await startReview('v1 申请')
    expect(before).toMatchObject({ version: 1, active: ['office'] })
    await page.goto(`${server.url}/`)
    await page.getByRole('navigation').getByRole('link', { name: '流程设计', exact: true }).click()
    await page.getByRole('heading', { name: '流程设计', level: 1 }).waitFor()
    const row = page.locator('tr[data-flow="tech-review"]')
    expect(await row.innerText()).toContain('第 1 版')
    expect(await row.innerText()).toContain('模块默认')
    // A medical-affairs administrator (a `*` business grant) gets neither the menu nor the list.
    const manifest = await call(server.url, token.yiwu, 'GET', 'manifest')
    expect(JSON.stringify(manifest.body)).not.toContain('/admin/flows')
    expect((await call(server.url, token.yiwu, 'GET', 'flows?all=true')).status).toBe(403)
    expect(browser.errors).toEqual([])
  })

  it('inserts an approval, shows its missing assignee on the node and in the list, refuses to publish until fixed', async () => {
    await page
      .locator('tr[data-flow="tech-review"]')
      .getByRole('link', { name: '设计「新技术评审」' })
      .click()
    await page.getByRole('heading', { name: '新技术评审', level: 1 }).waitFor()
    await page.getByRole('button', { name: '大纲' }).click()
    await page.locator('#designer-kind').selectOption('approve')
    await page.getByRole('button', { name: '在 医务处审核 → 通过 之间插入审批' }).click()
    // The new node is selected; the shared validator flags it at once.
    await page.getByRole('heading', { name: '审批 · 审批', level: 2 }).waitFor()
    const problems = page.locator('#flow-problems-title')
    expect(await problems.innerText()).toBe('发现 1 个问题')
    expect(await page.locator('[data-outline-node="approve_1"] .problems').innerText()).toContain(
      '「审批」没有设置处理人'
    )
    await page.getByRole('button', { name: '发布', exact: true }).click()
    await page.getByText('还有 1 个问题，修正后才能发布。').waitFor()
    expect(await page.getByRole('button', { name: '确认发布' }).isDisabled()).toBe(true)
    await page.getByRole('button', { name: '取消' }).click()

    await page.locator('#node-label-zh').fill('专家复核')
    await page.locator('#node-assignee-kind').selectOption('role')
    await page.getByText('「专家复核」的处理人规则不完整').first().waitFor()
    await page.locator('#node-assignee-role').selectOption('expert')
    await page.locator('#node-mode').selectOption('any')
    await page.getByText('没有发现问题，可以发布').waitFor()
    // The outline reads the new path: office → the new step → approved.
    expect(await page.locator('[data-outline-node="office"] .edges').innerText()).toContain('专家复核')
    expect(await page.locator('[data-outline-node="approve_1"] .edges').innerText()).toContain('通过')
    expect(browser.errors).toEqual([])
  })

  it('publishes version 2 with a comment and shows it in the version list with its author', async () => {
    await page.getByRole('button', { name: '发布', exact: true }).click()
    await page.locator('#publish-comment').fill('增加专家复核')
    await page.getByRole('button', { name: '确认发布' }).click()
    await page.waitForURL(/\/admin\/flows\?key=tech-review$/)
    await page.locator('tr[data-flow="tech-review"]').getByText('第 2 版').waitFor()
    const v2 = page.locator('tr[data-version="2"]')
    expect(await v2.innerText()).toContain('增加专家复核')
    expect(await v2.innerText()).toContain('系统管理员')
    expect(await page.locator('tr[data-version="1"]').innerText()).toContain('插件提供的默认流程')
    await page.getByRole('button', { name: '对比' }).click()
    await page.getByText('新增节点 approve_1').waitFor()
    expect(browser.errors).toEqual([])
  })

  it('runs new instances on version 2 through the new step; the older one finishes on version 1', async () => {
    const after = await startReview('v2 申请')
    expect(after.version).toBe(2)
    await approveAs('yiwu', after.id)
    const moved = await call(server.url, token.yisheng, 'GET', `flow-instances/${after.id}`)
    expect(moved.body).toMatchObject({ version: 2, state: 'running', active: ['approve_1'] })
    await approveAs('zhuanjia', after.id)
    expect((await call(server.url, token.yisheng, 'GET', `flow-instances/${after.id}`)).body).toMatchObject({
      state: 'completed',
      outcome: 'approved'
    })

    await approveAs('yiwu', before.id)
    const old = await call(server.url, token.yisheng, 'GET', `flow-instances/${before.id}`)
    expect(old.body).toMatchObject({ version: 1, state: 'completed', outcome: 'approved' })
    expect((old.body.steps as Json[]).map((s) => s.nodeId)).not.toContain('approve_1')
  })

  it('places a node by dragging and connects two nodes through a port on the canvas, kept in the draft', async () => {
    await page.goto(`${server.url}/admin/flows/tech-review`)
    await page.getByRole('group', { name: '流程图' }).waitFor()
    const node = page.locator('g[data-node="refused"]')
    const from = (await node.boundingBox())!
    await page.mouse.move(from.x + 20, from.y + 20)
    await page.mouse.down()
    await page.mouse.move(from.x + 60, from.y + 200, { steps: 8 })
    await page.mouse.up()
    expect((await node.boundingBox())!.y).toBeGreaterThan(from.y + 150)
    await page.getByRole('button', { name: '从「申请」连线' }).click()
    await page.getByText('选择「申请」要连到的节点').waitFor()
    await page.locator('g[data-node="approve_1"]').click()
    await page.getByRole('heading', { name: '连线：申请 → 专家复核' }).waitFor()
    await screenshot(page, 'flow-designer-canvas')
    await page.getByRole('button', { name: '保存草稿' }).click()
    await page.getByText('草稿已保存').waitFor()
    const draft = (await call(server.url, token.sysadmin, 'GET', 'definitions/flow:tech-review:draft')).body
      .body as Json
    const published = (await call(server.url, token.sysadmin, 'GET', 'flows/tech-review')).body
      .definition as Json
    // Version 2 keeps the positions the designer drew it with; the draft has the dragged one.
    expect(draft.nodes.find((n: Json) => n.id === 'refused').position.y).toBeGreaterThan(
      published.nodes.find((n: Json) => n.id === 'refused').position.y + 150
    )
    expect(draft.edges).toContainEqual({ from: 'start', to: 'approve_1' })
    await page.getByRole('button', { name: '放弃草稿' }).click()
    await page.waitForURL(/\/admin\/flows$/)
    expect(await page.locator('tr[data-flow="tech-review"]').innerText()).not.toContain('草稿')
    expect(browser.errors).toEqual([])
  })

  it('shows the outline on a 375-px phone without sideways scrolling', async () => {
    const phone = await launchBrowser({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2
    })
    try {
      await useToken(phone, token.sysadmin)
      const p = await phone.page()
      await p.goto(`${server.url}/admin/flows/tech-review`)
      await p.getByRole('list', { name: '流程大纲' }).waitFor()
      expect(await p.locator('[data-outline-node]').count()).toBe(5)
      await p.locator('[data-outline-node="approve_1"] button.name').click()
      await p.locator('#node-assignee-role').waitFor()
      expect(await hasHorizontalScroll(p)).toBe(false)
      await screenshot(p, 'flow-designer-outline-375')
      expect(phone.errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('rolls back to version 1, published again as version 3, from the version list', async () => {
    await page.goto(`${server.url}/admin/flows?key=tech-review`)
    await page.locator('tr[data-version="1"]').getByRole('button', { name: '回滚到此版本' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '回滚到此版本' }).click()
    await page.locator('tr[data-version="3"]').waitFor()
    expect(await page.locator('tr[data-version="3"]').innerText()).toContain('回滚到版本 1')
    const latest = (await call(server.url, token.sysadmin, 'GET', 'flows/tech-review')).body
    expect(latest.version).toBe(3)
    expect((latest.definition.nodes as Json[]).map((n) => n.id)).toEqual([
      'start',
      'office',
      'done',
      'refused'
    ])
    expect(browser.errors).toEqual([])
  })
})
