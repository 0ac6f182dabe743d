import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_KEY } from '../../app/src/lib/api/session.js'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { startFlowsE2E, type FlowsE2E, type Who } from './support/flows-fixture.js'
import { ensureAppBuilt } from './support/server.js'
import { hasHorizontalScroll, screenshot } from './support/ui.js'

/**
 * The flow pages end to end with a small test plugin (a grant application; the office
 * approves, two experts score, the end): an applicant submits from the record page, the
 * approver approves at PC width with a double click that advances once, the second
 * expert's inbox updates live, an expert scores on a 375-px phone, and a rejected flow
 * shows its comment to the applicant.
 */
type Rec = Record<string, any>

describe('flow pages', () => {
  let t: FlowsE2E
  let pc: TestBrowser
  let side: TestBrowser
  let phone: TestBrowser
  let page: Page

  /** Opens `path` in `p` signed in as `who` (the token where the web app keeps it). */
  async function open(p: Page, who: Who, path: string): Promise<void> {
    if (!p.url().startsWith(t.url)) await p.goto(`${t.url}/login`)
    await p.evaluate(([k, v]) => localStorage.setItem(k, v), [TOKEN_KEY, t.token[who]] as const)
    await p.goto(`${t.url}${path}`)
  }

  const toast = (p: Page, text: string | RegExp) =>
    p.getByRole('status').filter({ hasText: text }).first().waitFor()
  const grant = (title: string) => t.as('applicant', 'POST', 'e2e-grants', { title, amount: 50000 })
  const view = (id: string, who: Who = 'approver'): Promise<Rec> => t.as(who, 'GET', `flow-instances/${id}`)

  beforeAll(async () => {
    ensureAppBuilt()
    t = await startFlowsE2E()
    pc = await launchBrowser()
    side = await launchBrowser()
    phone = await launchBrowser({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2
    })
    page = await pc.page()
  })

  afterAll(async () => {
    for (const b of [pc, side, phone]) await b?.close()
    await t?.close()
  })

  let instanceId = ''

  it('submits for approval from the record page', async () => {
    const record = await grant('高通量测序在罕见病诊断中的应用')
    await open(page, 'applicant', `/records/e2e_grants/${record.id}`)
    const panel = page.getByTestId('record-flows')
    await panel.getByRole('button', { name: '提交审批' }).click()
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/)
    instanceId = page.url().split('/').pop()!
    await page.getByTestId('flow-state').filter({ hasText: '审批中' }).waitFor()
    await page.getByText('当前步骤：科室审核').waitFor()
    // Back on the record: its flow, the current step and whom it waits for.
    await page.goto(`${t.url}/records/e2e_grants/${record.id}`)
    await panel.getByText('处理人：审核人老李').waitFor()
    expect(await panel.getByRole('button', { name: '提交审批' }).count()).toBe(0)
    expect(await panel.getByRole('link', { name: '科研申请审批' }).getAttribute('href')).toBe(
      `/flows/${instanceId}`
    )
  })

  it('lets the approver approve at PC width; a double click advances once; the second expert’s inbox updates live', async () => {
    // The second expert watches their (empty) inbox in another browser.
    const watcher = await side.page()
    await open(watcher, 'ex2', '/flows')
    await watcher.getByText('没有待办事项').waitFor()

    await open(page, 'approver', '/flows')
    // The menu entry comes from the manifest (the flows core module), with the pending count.
    await page
      .locator('.sidebar a[href="/flows"]', { hasText: '待办审批' })
      .locator('.count')
      .filter({ hasText: '1' })
      .waitFor()
    await page.locator('a.item', { hasText: '科研申请审批' }).first().waitFor()
    await page.getByText('共 1 项待办').waitFor()
    await page.locator(`a.item[data-instance="${instanceId}"]`).click()
    await page.waitForURL(`**/flows/${instanceId}`)
    await page.getByRole('heading', { name: /您的待办：科室审核/ }).waitFor()
    // The record under review, read-only with its form's labels.
    await page.getByText('高通量测序在罕见病诊断中的应用').first().waitFor()
    await page.locator('#flow-comment').fill('材料齐全，同意送专家评审')
    await page.getByRole('button', { name: '同意', exact: true }).dblclick()
    await toast(page, '已同意')
    await page.getByTestId('flow-state').filter({ hasText: '审批中' }).waitFor()
    await page.getByText('当前步骤：专家评分').waitFor()

    const after = await view(instanceId)
    const office = after.timeline.filter((s: Rec) => s.nodeId === 'office')
    expect(office).toHaveLength(1)
    expect(office[0].tasks.map((x: Rec) => [x.state, x.decision])).toEqual([['done', 'approve']])
    expect(after.timeline.filter((s: Rec) => s.nodeId === 'panel')).toHaveLength(1)
    const audit = (await t.server.app
      .service('audit')
      .find({ query: { action: 'flow', recordId: after.recordId } })) as { data: Rec[] }
    expect(audit.data.filter((e) => e.diff.action === 'approve')).toHaveLength(1)

    // Live: the task reached the second expert's open inbox without a reload, with the badge.
    await watcher.locator(`a.item[data-instance="${instanceId}"]`).waitFor()
    await watcher.getByText('共 1 项待办').waitFor()
    await watcher.locator('.sidebar a[href="/flows"] .count').filter({ hasText: '1' }).waitFor()
  })

  it('lets an expert score on a 375-px phone: live total, errors at their fields, own scores only until the round closes', async () => {
    const mobile = await phone.page()
    await open(mobile, 'ex1', '/flows')
    const card = mobile.locator(`a.item[data-instance="${instanceId}"]`)
    await card.waitFor()
    expect(await hasHorizontalScroll(mobile)).toBe(false)
    await card.click()
    await mobile.getByRole('heading', { name: /专家评分表/ }).waitFor()
    await mobile.getByLabel('创新性', { exact: true }).fill('45')
    await mobile.getByLabel('可行性', { exact: true }).fill('50')
    await mobile.locator('#score-total').filter({ hasText: '95 / 100' }).waitFor()
    await mobile.getByRole('button', { name: '提交评分' }).click()
    expect(await mobile.locator('#score-novelty-error').innerText()).toContain('应为 0–40 之间的数字')
    await mobile.waitForFunction(() => document.activeElement?.id === 'score-novelty')
    await mobile.getByLabel('创新性', { exact: true }).fill('35')
    expect(await mobile.locator('#score-novelty-error').count()).toBe(0)
    await mobile.getByLabel('评语：创新性').fill('选题新颖')
    await mobile.locator('#score-total').filter({ hasText: '85 / 100' }).waitFor()
    // The submit button sits in the sticky bar, within the phone's screen.
    const box = await mobile.getByRole('button', { name: '提交评分' }).boundingBox()
    expect(box && box.y + box.height <= 740 && box.width >= 150).toBe(true)
    expect(await hasHorizontalScroll(mobile)).toBe(false)
    await screenshot(mobile, 'flows-score-sheet-375')
    await mobile.getByRole('button', { name: '提交评分' }).click()
    await toast(mobile, '评分已提交')
    // Own scores are shown; the other expert sees none of them while the round is open.
    await mobile.getByText('选题新颖').first().waitFor()
    const other = JSON.stringify(await view(instanceId, 'ex2'))
    expect(other).not.toContain('选题新颖')
    expect(
      (await view(instanceId, 'ex2')).tasks.find((x: Rec) => x.assigneeId === t.id.ex1).scores
    ).toBeNull()

    // The second expert scores (at PC width); the round closes and the mean is reported.
    const watcher = await side.page()
    await watcher.locator(`a.item[data-instance="${instanceId}"]`).click()
    await watcher.getByLabel('创新性', { exact: true }).fill('30')
    await watcher.getByLabel('可行性', { exact: true }).fill('45')
    await watcher.getByRole('button', { name: '提交评分' }).click()
    await toast(watcher, '评分已提交')
    await watcher.getByTestId('flow-state').filter({ hasText: '已完成' }).waitFor()
    // The first expert's page follows live: the aggregate and the other expert's scores.
    const result = mobile.getByTestId('score-result')
    await result.filter({ hasText: '平均分' }).waitFor()
    expect(await result.innerText()).toMatch(/评审结果：通过[\s\S]*80/)
    await mobile.getByText('各专家总分：75、85').waitFor()
    await screenshot(mobile, 'flows-score-result-375', true)
  })

  it('shows a rejected flow with its comment; reject asks for one', async () => {
    const record = await grant('无对照组的小样本研究')
    const started = await t.as('applicant', 'POST', 'flows/start', {
      flowKey: 'e2e_review',
      collection: 'e2e_grants',
      recordId: record.id
    })
    // The notification's link to the task opens the flow's page.
    const taskId = (await view(started.id)).mine[0].id
    await open(page, 'approver', `/flows/tasks/${taskId}`)
    await page.waitForURL(`**/flows/${started.id}`)
    await page.getByRole('button', { name: '驳回' }).click()
    const dialog = page.getByRole('dialog', { name: '驳回' })
    await dialog.getByRole('button', { name: '驳回' }).click()
    await dialog.getByText('驳回需填写意见').waitFor()
    await dialog.getByLabel(/审批意见/).fill('缺少对照组设计，请补充后重新申请')
    await dialog.getByRole('button', { name: '驳回' }).click()
    await toast(page, '已驳回')

    await open(page, 'applicant', `/flows/${started.id}`)
    await page.getByTestId('flow-state').filter({ hasText: '未通过' }).waitFor()
    await page.getByText('缺少对照组设计，请补充后重新申请').waitFor()
    expect(await page.locator('li.step[data-node="office"] .badge').innerText()).toBe('驳回')
  })

  it('transfers a task to a person picked by name, who then has it', async () => {
    const record = await grant('转办测试')
    const started = await t.as('applicant', 'POST', 'flows/start', {
      flowKey: 'e2e_review',
      collection: 'e2e_grants',
      recordId: record.id
    })
    await open(page, 'approver', `/flows/${started.id}`)
    await page.getByRole('button', { name: '转办' }).click()
    const dialog = page.getByRole('dialog', { name: '转办' })
    await dialog.getByRole('button', { name: '转办' }).click()
    await dialog.getByText('请选择一位人员').waitFor()
    await dialog.getByRole('combobox', { name: '转给' }).fill('专家甲')
    await dialog.getByRole('option', { name: /专家甲/ }).click()
    await dialog.getByRole('button', { name: '转办' }).click()
    await toast(page, '已转办')
    await page.locator('li.task', { hasText: '转给 专家甲' }).waitFor()
    expect(await page.getByRole('heading', { name: /您的待办/ }).count()).toBe(0)
    const now = await view(started.id, 'ex1')
    expect(now.mine.map((m: Rec) => m.nodeId)).toEqual(['office'])
  })

  it('keeps the approval actions within a thumb’s reach on a 375-px phone', async () => {
    const record = await grant('手机审批')
    const started = await t.as('applicant', 'POST', 'flows/start', {
      flowKey: 'e2e_review',
      collection: 'e2e_grants',
      recordId: record.id
    })
    const mobile = await phone.page()
    await open(mobile, 'approver', '/flows')
    await mobile.locator(`a.item[data-instance="${started.id}"]`, { hasText: '申请人：申请人小王' }).waitFor()
    expect(await hasHorizontalScroll(mobile)).toBe(false)
    await screenshot(mobile, 'flows-inbox-375')
    await mobile.locator(`a.item[data-instance="${started.id}"]`).click()
    await mobile.getByRole('heading', { name: /您的待办：科室审核/ }).waitFor()
    // The bar sticks to the bottom of the screen while the page scrolls above it.
    const approve = mobile.getByRole('button', { name: '同意', exact: true })
    const box = await approve.boundingBox()
    expect(box && box.y + box.height <= 740 && box.height >= 44).toBe(true)
    expect(await hasHorizontalScroll(mobile)).toBe(false)
    await screenshot(mobile, 'flows-approve-375')
    await approve.tap()
    await toast(mobile, '已同意')
  })

  it('lets the starter withdraw before anyone acted, with a confirmation', async () => {
    const record = await grant('撤回测试')
    await open(page, 'applicant', `/records/e2e_grants/${record.id}`)
    await page.getByTestId('record-flows').getByRole('button', { name: '提交审批' }).click()
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/)
    await page.getByRole('button', { name: '撤回申请' }).click()
    await page.getByRole('dialog', { name: '撤回申请' }).getByRole('button', { name: '撤回申请' }).click()
    await toast(page, '已撤回')
    await page.getByTestId('flow-state').filter({ hasText: '已撤回' }).waitFor()
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0)
    // The record offers the submission again.
    await page.goto(`${t.url}/records/e2e_grants/${record.id}`)
    await page.getByTestId('record-flows').getByRole('button', { name: '提交审批' }).waitFor()
  })

  it('carries the review conversation with an attachment the approver can download', async () => {
    const record = await grant('附件讨论')
    const started = await t.as('applicant', 'POST', 'flows/start', {
      flowKey: 'e2e_review',
      collection: 'e2e_grants',
      recordId: record.id
    })
    await open(page, 'applicant', `/flows/${started.id}`)
    const talk = page.getByRole('region', { name: '评审意见' })
    await talk.getByLabel('意见内容').fill('补充伦理批件，请查收')
    await talk.locator('input[type="file"]').setInputFiles({
      name: '伦理批件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% ethics\n')
    })
    await talk.getByRole('list', { name: '附件' }).getByText('伦理批件.pdf').waitFor()
    await talk.getByRole('button', { name: '发送' }).click()
    await toast(page, '意见已发表')
    await talk.getByText('补充伦理批件，请查收').waitFor()

    await open(page, 'approver', `/flows/${started.id}`)
    await talk.getByText('补充伦理批件，请查收').waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      talk.getByRole('button', { name: '下载 伦理批件.pdf' }).click()
    ])
    expect(download.suggestedFilename()).toBe('伦理批件.pdf')
    const bytes = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = []
      for await (const c of stream) chunks.push(c as Buffer)
      return Buffer.concat(chunks).toString()
    })
    expect(bytes.startsWith('%PDF-1.4')).toBe(true)
    // Someone who does not take part sees neither the flow nor the file.
    const fileId = (await view(started.id)).comments[0].attachments[0]
    expect(
      (await t.api('GET', `/api/files/${fileId}`, undefined, { authorization: `Bearer ${t.token.outsider}` }))
        .status
    ).toBe(404)
  })

  it('says 已由他人处理 when the task was handled meanwhile, and shows the page as it is now', async () => {
    const record = await grant('并发审批')
    const started = await t.as('applicant', 'POST', 'flows/start', {
      flowKey: 'e2e_review',
      collection: 'e2e_grants',
      recordId: record.id
    })
    // This window misses the live update (its socket drops the flow events), as a slow
    // phone on a bad network would: the click reaches a task that is no longer pending.
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer()
      ws.onMessage((m) => server.send(m))
      server.onMessage((m) => {
        if (typeof m === 'string' && m.includes('"flow-tasks changed"')) return
        ws.send(m)
      })
    })
    await open(page, 'approver', `/flows/${started.id}`)
    await page.getByRole('heading', { name: /您的待办：科室审核/ }).waitFor()
    const task = (await view(started.id)).mine[0].id
    await t.as('approver', 'POST', 'flow-actions', {
      taskId: task,
      action: 'approve',
      comment: '另一窗口已处理'
    })
    await page.getByRole('button', { name: '同意', exact: true }).click()
    await page.locator('p.taken[role="alert"]').filter({ hasText: '已由他人处理：此待办已处理' }).waitFor()
    await page
      .getByRole('alert')
      .filter({ hasText: '已由他人处理' })
      .filter({ hasText: '页面已刷新为最新状态' })
      .waitFor()
    // Re-read: the step moved on, no action bar is left, nothing was applied twice.
    await page.getByText('当前步骤：专家评分').waitFor()
    expect(await page.getByRole('heading', { name: /您的待办/ }).count()).toBe(0)
    const office = (await view(started.id)).timeline.filter((s: Rec) => s.nodeId === 'office')
    expect(office[0].tasks.map((x: Rec) => x.decision)).toEqual(['approve'])
    expect(pc.errors).toEqual([])
  })
})
