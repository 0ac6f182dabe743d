import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { instance, startFlowTestServer, startOn, taskOf, type FlowTestServer, type Rec } from './support.js'

/** Uploads a small PDF as `who` through the files service; answers its id. */
async function uploadPdf(t: FlowTestServer, who: string, seed: number): Promise<string> {
  const form = new FormData()
  form.append(
    'file',
    new Blob([Buffer.from(`%PDF-1.4\n% flow comment ${seed}\n`)], { type: 'application/pdf' }),
    `a${seed}.pdf`
  )
  const res = await fetch(`${t.url}/api/files`, { method: 'POST', body: form, headers: t.auth[who] })
  const body = (await res.json()) as Rec[]
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`)
  return body[0].id
}

describe.each(DRIVERS)('flow actions on %s', (driver) => {
  let t: FlowTestServer
  beforeAll(async () => {
    t = await startFlowTestServer(driver)
  })
  afterAll(() => t.close())

  const approve = async (who: string, id: string, extra: Rec = {}) =>
    t.act(who, { taskId: (await taskOf(t, who, id)).id, action: 'approve', ...extra })
  const patch = (who: string, id: string, data: Rec) =>
    t.api('PATCH', `/api/proposals/${id}`, data, t.auth[who])

  it('returns to the previous step by default, or to a chosen earlier one, recreating its tasks', async () => {
    const inst = await startOn(t, 'two')
    await approve('head_s1', inst.id)
    const s2 = await taskOf(t, 'head_s', inst.id)
    expect((await t.act('head_s', { taskId: s2.id, action: 'return', comment: '请补充材料' })).status).toBe(
      201
    )
    const again = await taskOf(t, 'head_s1', inst.id)
    expect(again).toMatchObject({ nodeId: 's1', state: 'pending' })
    expect(again.id).not.toBe(s2.id)
    // s1 returns further back: to the applicant, who resubmits.
    expect((await t.act('head_s1', { taskId: again.id, action: 'return' })).status).toBe(201)
    expect(await instance(t, inst.id)).toMatchObject({ active: ['start'] })
    expect((await t.app.service('proposals').get(inst.recordId)).state).toBe('reviewing:start')
    await approve('applicant', inst.id)
    await approve('head_s1', inst.id)
    const back = await t.act('head_s', {
      taskId: (await taskOf(t, 'head_s', inst.id)).id,
      action: 'return',
      returnTo: 'start'
    })
    expect(back.status).toBe(201)
    expect((await taskOf(t, 'applicant', inst.id)).nodeId).toBe('start')
    expect(
      (
        await t.act('applicant', {
          taskId: (await taskOf(t, 'applicant', inst.id)).id,
          action: 'return',
          returnTo: 'nowhere'
        })
      ).status
    ).toBe(400)
    const steps = (await instance(t, inst.id)).steps
      .filter((s: Rec) => s.nodeId === 's1')
      .map((s: Rec) => s.round)
    expect(steps).toEqual([1, 2, 3])
  })

  it('returns within one parallel branch without disturbing the other, and not across branches', async () => {
    const inst = await startOn(t, 'branches')
    await approve('c1', inst.id)
    await approve('head_s1', inst.id)
    const p1b = await taskOf(t, 'head_s', inst.id)
    expect((await t.act('head_s', { taskId: p1b.id, action: 'return', returnTo: 'p2' })).status).toBe(400)
    expect((await t.act('head_s', { taskId: p1b.id, action: 'return' })).status).toBe(201)
    expect(await instance(t, inst.id)).toMatchObject({ state: 'running', active: ['p1a'] })
    expect((await t.todo('c1')).some((x) => x.instanceId === inst.id)).toBe(false)
    await approve('head_s1', inst.id)
    await approve('head_s', inst.id)
    // The join still counts branch 2's earlier arrival.
    expect(await instance(t, inst.id)).toMatchObject({ state: 'completed', outcome: 'approved' })
  })

  it('transfers a task to another user and adds a signer to the current step', async () => {
    const inst = await startOn(t, 'two')
    const mine = await taskOf(t, 'head_s1', inst.id)
    expect(
      (await t.act('head_s1', { taskId: mine.id, action: 'transfer', to: t.user.head_s1.id })).status
    ).toBe(400)
    expect(
      (
        await t.act('head_s1', {
          taskId: mine.id,
          action: 'transfer',
          to: t.user.colleague.id,
          comment: '请代审'
        })
      ).status
    ).toBe(201)
    const moved = await taskOf(t, 'colleague', inst.id)
    expect(moved).toMatchObject({ nodeId: 's1', addedBy: t.user.head_s1.id })
    expect(
      (await t.act('colleague', { taskId: moved.id, action: 'add_signer', to: [t.user.c1.id] })).status
    ).toBe(201)
    // Single mode: either signer decides the step.
    await approve('c1', inst.id)
    expect(await instance(t, inst.id)).toMatchObject({ active: ['s2'] })
    expect((await t.todo('colleague')).some((x) => x.instanceId === inst.id)).toBe(false)
    const done = (await t.api('GET', '/api/flow-tasks?box=done', undefined, t.auth.head_s1)).body.data
    expect(done.find((x: Rec) => x.id === mine.id)).toMatchObject({ decision: 'transfer' })
  })

  it('lets the starter withdraw until someone acts, and no one else', async () => {
    const a = await startOn(t, 'two')
    expect((await t.act('colleague', { instanceId: a.id, action: 'withdraw' })).status).toBe(403)
    const ok = await t.act('applicant', { instanceId: a.id, action: 'withdraw' })
    expect(ok.status).toBe(201)
    expect(ok.body.instance).toMatchObject({ state: 'withdrawn', outcome: 'withdrawn' })
    expect((await t.app.service('proposals').get(a.recordId)).state).toBe('withdrawn')
    expect((await t.todo('head_s1')).some((x) => x.instanceId === a.id)).toBe(false)
    const b = await startOn(t, 'two')
    await approve('head_s1', b.id)
    const late = await t.act('applicant', { instanceId: b.id, action: 'withdraw' })
    expect(late.status).toBe(409)
  })

  it('keeps a review conversation with attachments, visible to everyone on the instance only', async () => {
    const inst = await startOn(t, 'two')
    const [f1, f2] = [await uploadPdf(t, 'applicant', 1), await uploadPdf(t, 'applicant', 2)]
    const theirs = await uploadPdf(t, 'colleague', 3)
    expect(
      (
        await t.api(
          'POST',
          '/api/flow-comments',
          { instanceId: inst.id, text: 'x', attachments: [theirs] },
          t.auth.applicant
        )
      ).status
    ).toBe(400)
    const c = await t.api(
      'POST',
      '/api/flow-comments',
      { instanceId: inst.id, text: '附件为补充材料', attachments: [f1, f2] },
      t.auth.applicant
    )
    expect(c.status).toBe(201)
    expect(c.body).toMatchObject({ authorId: t.user.applicant.id, attachments: [f1, f2] })
    const task = await taskOf(t, 'head_s1', inst.id)
    expect((await t.act('head_s1', { taskId: task.id, action: 'comment', comment: '收到' })).status).toBe(201)
    const list = (await t.api('GET', `/api/flow-comments?instanceId=${inst.id}`, undefined, t.auth.head_s1))
      .body
    expect(list.map((x: Rec) => x.text)).toEqual(['附件为补充材料', '收到'])
    expect((await instance(t, inst.id, 'applicant')).comments).toHaveLength(2)
    expect(
      (await t.api('GET', `/api/flow-comments?instanceId=${inst.id}`, undefined, t.auth.outsider)).status
    ).toBe(403)
    expect(
      (await t.api('POST', '/api/flow-comments', { instanceId: inst.id, text: 'x' }, t.auth.outsider)).status
    ).toBe(403)
    expect(
      (
        await t.api(
          'POST',
          '/api/flow-comments',
          { instanceId: inst.id, text: '', attachments: 'x' },
          t.auth.applicant
        )
      ).status
    ).toBe(400)
    const note = (await t.api('GET', '/api/notifications', undefined, t.auth.head_s1)).body.data.find(
      (n: Rec) => n.kind === 'flow.comment'
    )
    expect(note.link).toBe(`/flows/instances/${inst.id}`)
  })

  it('shows each expert only their own scores until the round closes, on every endpoint', async () => {
    const inst = await startOn(t, 'newtech')
    await approve('head_s1', inst.id)
    const a = await taskOf(t, 'e1', inst.id)
    const acted = await t.act('e1', {
      taskId: a.id,
      action: 'score',
      scores: { novelty: 19, safety: 23, feasibility: 50 },
      comment: 'A 的意见'
    })
    expect(acted.body.task.scores).toMatchObject({ novelty: 19 })
    const leaks = (v: unknown) =>
      JSON.stringify(v).includes('A 的意见') || JSON.stringify(v).includes('"novelty":19')
    for (const who of ['e2', 'ma', 'applicant']) {
      expect(
        leaks((await t.api('GET', `/api/flow-tasks/${a.id}`, undefined, t.auth[who])).body),
        `task get by ${who}`
      ).toBe(false)
      expect(leaks(await instance(t, inst.id, who)), `instance get by ${who}`).toBe(false)
      for (const box of ['todo', 'done', 'cc', 'started'])
        expect(
          leaks((await t.api('GET', `/api/flow-tasks?box=${box}`, undefined, t.auth[who])).body),
          `${box} of ${who}`
        ).toBe(false)
    }
    expect(
      (
        await t.api(
          'GET',
          `/api/flow-instances?collection=proposals&recordId=${inst.recordId}`,
          undefined,
          t.auth.e2
        )
      ).body.data
    ).toHaveLength(1)
    const b = await taskOf(t, 'e2', inst.id)
    expect(
      leaks(
        (
          await t.act('e2', {
            taskId: b.id,
            action: 'score',
            scores: { novelty: 10, safety: 10, feasibility: 30 }
          })
        ).body
      )
    ).toBe(false)
    expect((await t.api('GET', `/api/flow-tasks/${a.id}`, undefined, t.auth.e1)).body.scores).toMatchObject({
      novelty: 19
    })
    await t.act('e4', {
      taskId: (await taskOf(t, 'e4', inst.id)).id,
      action: 'score',
      scores: { novelty: 12, safety: 12, feasibility: 40 }
    })
    // Closed: everyone on the instance sees every sheet.
    expect((await t.api('GET', `/api/flow-tasks/${a.id}`, undefined, t.auth.e2)).body).toMatchObject({
      scores: { novelty: 19 },
      comment: 'A 的意见'
    })
  })

  it('locks the record under review: 409 for others, editRoles may edit, the step assignee its editable fields', async () => {
    const inst = await startOn(t, 'newtech')
    const id = inst.recordId
    const locked = await patch('applicant', id, { title: 'changed' })
    expect(locked.status).toBe(409)
    expect(locked.body.message).toContain('记录审核中，暂不能修改')
    expect((await t.api('DELETE', `/api/proposals/${id}`, undefined, t.auth.applicant)).status).toBe(409)
    expect((await patch('ma', id, { title: 'by admin' })).status).toBe(200)
    expect((await patch('head_s1', id, { budget: 99 })).status).toBe(200)
    expect((await patch('head_s1', id, { title: 'no' })).status).toBe(409)
    await approve('head_s1', inst.id)
    expect((await patch('head_s1', id, { budget: 100 })).status).toBe(409)
    const other = await t.propose('applicant')
    expect((await patch('applicant', other.id, { title: 'free' })).status).toBe(200)
    const batch = await t.api(
      'PATCH',
      `/api/proposals?id[$in]=${id}&id[$in]=${other.id}`,
      { level: '2' },
      t.auth.applicant
    )
    expect(batch.status).toBe(409)
  })

  it('lets the applicant edit again once returned to them, and after withdrawing', async () => {
    const inst = await startOn(t, 'two')
    await t.act('head_s1', { taskId: (await taskOf(t, 'head_s1', inst.id)).id, action: 'return' })
    expect((await patch('applicant', inst.recordId, { title: 'fixed' })).status).toBe(200)
    await approve('applicant', inst.id)
    expect((await patch('applicant', inst.recordId, { title: 'again' })).status).toBe(409)
  })

  it('serves the inbox boxes with keyset paging', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await startOn(t, 'two', {}, 'colleague')).id)
    const page1 = (await t.api('GET', '/api/flow-tasks?box=todo&$limit=3', undefined, t.auth.head_s1)).body
    expect(page1.data).toHaveLength(3)
    expect(page1.total).toBeGreaterThanOrEqual(5)
    const page2 = (
      await t.api('GET', `/api/flow-tasks?box=todo&$limit=3&after=${page1.next}`, undefined, t.auth.head_s1)
    ).body
    const seen = [...page1.data, ...page2.data].map((x: Rec) => x.id)
    expect(new Set(seen).size).toBe(seen.length)
    expect(page1.data[0]).toMatchObject({
      flow: { key: 'two' },
      nodeLabel: { 'zh-CN': 's1' },
      instance: { collection: 'proposals' }
    })
    for (const id of ids.slice(0, 2)) await approve('head_s1', id)
    const done = (await t.api('GET', '/api/flow-tasks?box=done&$limit=1', undefined, t.auth.head_s1)).body
    const done2 = (
      await t.api('GET', `/api/flow-tasks?box=done&$limit=1&after=${done.next}`, undefined, t.auth.head_s1)
    ).body
    expect([done.data[0].instanceId, done2.data[0].instanceId]).toEqual([ids[1], ids[0]])
    const started = (await t.api('GET', '/api/flow-tasks?box=started&$limit=5', undefined, t.auth.colleague))
      .body
    expect(started.data.map((x: Rec) => x.id)).toEqual([...ids].reverse())
    expect((await t.api('GET', '/api/flow-instances', undefined, t.auth.colleague)).body.data).toHaveLength(5)
    expect((await t.api('GET', '/api/flow-tasks?box=nope', undefined, t.auth.colleague)).status).toBe(400)
    expect((await t.api('GET', '/api/flow-tasks?after=garbage', undefined, t.auth.colleague)).status).toBe(
      400
    )
  })

  it('advances exactly once under 20 parallel approvals of an any-may-sign step', async () => {
    const inst = await startOn(t, 'newtech')
    await approve('head_s1', inst.id)
    for (const who of ['e1', 'e2', 'e4'])
      await t.act(who, {
        taskId: (await taskOf(t, who, inst.id)).id,
        action: 'score',
        scores: { novelty: 20, safety: 25, feasibility: 50 }
      })
    const tasks = await Promise.all(['c1', 'c2', 'c3'].map((c) => taskOf(t, c, inst.id)))
    const who = ['c1', 'c2', 'c3']
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.act(who[i % 3], { taskId: tasks[i % 3].id, action: 'approve' }))
    )
    const codes = results.map((r) => r.status)
    expect(codes.filter((c) => c === 201)).toHaveLength(1)
    expect(codes.filter((c) => c === 409)).toHaveLength(19)
    const messages = new Set(results.filter((r) => r.status === 409).map((r) => r.body.message))
    expect([...messages].every((m) => /已由他人处理|请勿重复提交/.test(m))).toBe(true)
    const view = await instance(t, inst.id)
    expect(view).toMatchObject({ state: 'completed', outcome: 'approved' })
    expect(view.tasks.filter((x: Rec) => x.nodeId === 'committee' && x.state === 'done')).toHaveLength(1)
    const audit = (await t.app
      .service('audit')
      .find({ query: { action: 'flow', recordId: inst.recordId } })) as { data: Rec[] }
    expect(audit.data.filter((e) => e.diff.node === 'committee')).toHaveLength(1)
  })

  it('keeps instances private to participants and reviewers of the record', async () => {
    const inst = await startOn(t, 'two')
    expect((await t.api('GET', `/api/flow-instances/${inst.id}`, undefined, t.auth.outsider)).status).toBe(
      403
    )
    // head_s reviews records of its department tree (dept_head: review on *) before having a task.
    const view = await instance(t, inst.id, 'head_s')
    expect(view.record).toMatchObject({ id: inst.recordId })
    const task = await taskOf(t, 'head_s1', inst.id)
    expect((await t.api('GET', `/api/flow-tasks/${task.id}`, undefined, t.auth.outsider)).status).toBe(403)
    expect((await t.act('outsider', { taskId: task.id, action: 'approve' })).status).toBe(403)
    expect((await t.act('head_s1', { taskId: task.id, action: 'explode' })).status).toBe(400)
  })
})
