import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { instance, startFlowTestServer, startOn, taskOf, type FlowTestServer, type Rec } from './support.js'

/** Uploads a small PDF as `who`, not attached to anything; answers its id. */
async function upload(t: FlowTestServer, who: string, seed: string): Promise<string> {
  const form = new FormData()
  form.append(
    'file',
    new Blob([Buffer.from(`%PDF-1.4\n% ${seed}\n`)], { type: 'application/pdf' }),
    `${seed}.pdf`
  )
  const res = await fetch(`${t.url}/api/files`, { method: 'POST', body: form, headers: t.auth[who] })
  const body = (await res.json()) as Rec[]
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`)
  return body[0].id
}

/** What the flow pages read in one call, the conversation's files, and API-key scopes on every flow service. */
describe.each(DRIVERS)('flow pages API on %s', (driver) => {
  let t: FlowTestServer
  beforeAll(async () => {
    t = await startFlowTestServer(driver)
  })
  afterAll(() => t.close())

  const act = async (who: string, instanceId: string, body: Rec) => {
    const res = await t.act(who, { taskId: (await taskOf(t, who, instanceId)).id, ...body })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  it('answers the timeline, names, return targets and withdraw right of an instance in one call', async () => {
    const inst = await startOn(t, 'two')
    let view = await instance(t, inst.id, 'applicant')
    expect(view.canWithdraw).toBe(true)
    expect(view.mine).toEqual([])
    expect(view.people[t.user.applicant.id]).toBe('applicant')
    await act('head_s1', inst.id, { action: 'approve', comment: '同意' })
    view = await instance(t, inst.id, 'head_s')
    // Someone acted: the default policy (before_action) no longer lets the starter withdraw.
    expect((await instance(t, inst.id, 'applicant')).canWithdraw).toBe(false)
    expect(view.mine).toHaveLength(1)
    expect(view.mine[0]).toMatchObject({ nodeId: 's2', kind: 'approve', chooseNext: false })
    expect(view.mine[0].returnTargets.map((r: Rec) => r.nodeId)).toEqual(['start', 's1'])
    expect(view.timeline.map((s: Rec) => [s.nodeId, s.state])).toEqual([
      ['start', 'done'],
      ['s1', 'done'],
      ['s2', 'active']
    ])
    const s1 = view.timeline[1].tasks[0]
    expect(s1).toMatchObject({ assigneeId: t.user.head_s1.id, decision: 'approve', comment: '同意' })
    expect(view.people[t.user.head_s1.id]).toBe('head_s1')
    // The engine accepts exactly the targets the page offers.
    await act('head_s', inst.id, { action: 'return', returnTo: 's1' })
    view = await instance(t, inst.id, 'head_s1')
    expect(view.mine[0].returnTargets.map((r: Rec) => r.nodeId)).toEqual(['start'])
    expect(view.timeline.at(-1)).toMatchObject({ nodeId: 's1', state: 'active', round: 2 })
  })

  it('lists a record’s flows with whom they wait for', async () => {
    const inst = await startOn(t, 'any')
    const res = await t.api(
      'GET',
      `/api/flow-instances?collection=proposals&recordId=${inst.recordId}`,
      undefined,
      t.auth.applicant
    )
    expect(res.status).toBe(200)
    expect(res.body.data[0]).toMatchObject({
      id: inst.id,
      state: 'running',
      activeLabels: [{ 'zh-CN': 'a' }]
    })
    expect(res.body.data[0].assignees.map((a: Rec) => a.name).sort()).toEqual(['c1', 'c2', 'c3'])
    // The inbox row says whose application it is.
    expect((await taskOf(t, 'c1', inst.id)).instance).toMatchObject({
      startedBy: t.user.applicant.id,
      startedByName: 'applicant'
    })
  })

  it('keeps per-criterion remarks hidden like the scores until the round closes', async () => {
    const inst = await startOn(t, 'newtech')
    await act('head_s1', inst.id, { action: 'approve' })
    const bad = await t.act('e1', {
      taskId: (await taskOf(t, 'e1', inst.id)).id,
      action: 'score',
      scores: { novelty: 10, safety: 10, feasibility: 10 },
      remarks: { nope: 'x' }
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors ?? bad.body.data?.errors).toEqual([
      expect.objectContaining({ field: 'remarks.nope' })
    ])
    await act('e1', inst.id, {
      action: 'score',
      scores: { novelty: 18, safety: 22, feasibility: 45 },
      remarks: { novelty: '思路新颖' }
    })
    const mine = await instance(t, inst.id, 'e1')
    expect(mine.tasks.find((x: Rec) => x.assigneeId === t.user.e1.id).data.remarks).toEqual({
      novelty: '思路新颖'
    })
    expect(mine.sheets.panel.criteria.map((c: Rec) => c.key)).toEqual(['novelty', 'safety', 'feasibility'])
    for (const who of ['e2', 'applicant'])
      expect(JSON.stringify(await instance(t, inst.id, who))).not.toContain('思路新颖')
    await act('e2', inst.id, { action: 'score', scores: { novelty: 15, safety: 20, feasibility: 40 } })
    await act('e4', inst.id, { action: 'score', scores: { novelty: 10, safety: 10, feasibility: 20 } })
    expect(JSON.stringify(await instance(t, inst.id, 'e2'))).toContain('思路新颖')
  })

  it('lets everyone who sees the instance read the conversation’s files, and nobody else', async () => {
    const inst = await startOn(t, 'two')
    const file = await upload(t, 'applicant', 'material')
    const c = await t.api(
      'POST',
      '/api/flow-comments',
      { instanceId: inst.id, text: '补充材料', attachments: [file] },
      t.auth.applicant
    )
    expect(c.status).toBe(201)
    const onTask = await upload(t, 'head_s1', 'opinion')
    await act('head_s1', inst.id, { action: 'approve', comment: '见附件', attachments: [onTask] })
    const view = await instance(t, inst.id, 'head_s')
    expect(view.files[file]).toMatchObject({ name: 'material.pdf', mime: 'application/pdf' })
    expect(view.files[onTask]).toMatchObject({ name: 'opinion.pdf' })
    for (const [who, id] of [
      ['head_s1', file],
      ['head_s', file],
      ['applicant', onTask],
      ['head_s', onTask]
    ]) {
      expect(
        (await t.api('GET', `/api/files/${id}`, undefined, t.auth[who])).status,
        `${who} reads ${id}`
      ).toBe(200)
      const url = await t.api('GET', `/api/files/${id}/url`, undefined, t.auth[who])
      expect(url.status).toBe(200)
      const bytes = await fetch(`${t.url}${url.body.url}`)
      expect(bytes.status).toBe(200)
      expect((await bytes.text()).startsWith('%PDF-1.4')).toBe(true)
    }
    for (const who of ['outsider', 'colleague']) {
      expect((await t.api('GET', `/api/files/${file}`, undefined, t.auth[who])).status, who).toBe(404)
      expect((await t.api('GET', `/api/files/${file}/url`, undefined, t.auth[who])).status, who).toBe(404)
    }
    // Not the uploader's to remove or move any more, and not reusable in another flow.
    expect((await t.api('DELETE', `/api/files/${file}`, undefined, t.auth.applicant)).status).toBe(403)
    expect(
      (
        await t.api(
          'PATCH',
          `/api/files/${file}`,
          { collection: 'proposals', recordId: inst.recordId },
          t.auth.applicant
        )
      ).status
    ).toBe(403)
    const other = await startOn(t, 'two')
    expect(
      (
        await t.api(
          'POST',
          '/api/flow-comments',
          { instanceId: other.id, text: 'x', attachments: [file] },
          t.auth.applicant
        )
      ).status
    ).toBe(400)
  })

  it('refuses a record’s file as an attachment: it stays under its record’s rights', async () => {
    const rec = await t.propose('applicant')
    const file = await upload(t, 'applicant', 'record-file')
    expect(
      (
        await t.api(
          'PATCH',
          `/api/files/${file}`,
          { collection: 'proposals', recordId: rec.id },
          t.auth.applicant
        )
      ).status
    ).toBe(200)
    const inst = (await t.start('applicant', 'two', rec.id)).body
    const res = await t.api(
      'POST',
      '/api/flow-comments',
      { instanceId: inst.id, text: 'x', attachments: [file] },
      t.auth.applicant
    )
    expect(res.status).toBe(400)
    expect((await t.app.service('files').get(file)).collection).toBe('proposals')
    expect((await instance(t, inst.id, 'applicant')).comments).toEqual([])
  })

  describe('API keys', () => {
    const grants = [{ collection: 'proposals', actions: ['read', 'create', 'update'], scope: 'all' }]
    let key: { id: string; key: string }
    const h = () => ({ 'x-api-key': key.key })
    beforeAll(async () => {
      key = (await t.app.service('api-keys').create({ name: 'HIS', scopes: { grants, flows: ['two'] } })) as {
        id: string
        key: string
      }
    })

    it('starts, reads and acts on the flows in its scope only', async () => {
      expect((await t.api('GET', '/api/flows', undefined, h())).body.map((f: Rec) => f.key)).toEqual(['two'])
      expect((await t.api('GET', '/api/flows/two', undefined, h())).status).toBe(200)
      expect((await t.api('GET', '/api/flows/any', undefined, h())).status).toBe(403)
      const rec = await t.propose('applicant')
      const denied = await t.api(
        'POST',
        '/api/flows/start',
        { flowKey: 'any', collection: 'proposals', recordId: rec.id },
        h()
      )
      expect(denied.status).toBe(403)
      expect(denied.body.message).toContain('API 密钥无权使用流程')
      expect(
        (
          await t.api(
            'GET',
            `/api/flow-instances?collection=proposals&recordId=${rec.id}`,
            undefined,
            t.auth.applicant
          )
        ).body.data
      ).toEqual([])
      const started = await t.api(
        'POST',
        '/api/flows/start',
        { flowKey: 'two', collection: 'proposals', recordId: rec.id },
        h()
      )
      expect(started.status).toBe(201)
      expect((await t.api('GET', `/api/flow-instances/${started.body.id}`, undefined, h())).status).toBe(200)
      expect(
        (await t.api('POST', '/api/flow-comments', { instanceId: started.body.id, text: '接口备注' }, h()))
          .status
      ).toBe(201)
    })

    it('loses the flow on every service once the flow leaves its scope', async () => {
      const rec = await t.propose('applicant')
      const inst = (
        await t.api(
          'POST',
          '/api/flows/start',
          { flowKey: 'two', collection: 'proposals', recordId: rec.id },
          h()
        )
      ).body
      await t.app.service('api-keys').patch(key.id, { scopes: { grants, flows: ['any'] } })
      expect((await t.api('GET', `/api/flow-instances/${inst.id}`, undefined, h())).status).toBe(403)
      expect(
        (await t.api('GET', `/api/flow-instances?collection=proposals&recordId=${rec.id}`, undefined, h()))
          .body.data
      ).toEqual([])
      expect(
        (await t.api('GET', '/api/flow-instances', undefined, h())).body.data.filter(
          (i: Rec) => i.flowKey === 'two'
        )
      ).toEqual([])
      expect((await t.api('GET', `/api/flow-comments?instanceId=${inst.id}`, undefined, h())).status).toBe(
        403
      )
      expect(
        (await t.api('POST', '/api/flow-comments', { instanceId: inst.id, text: 'x' }, h())).status
      ).toBe(403)
      const withdraw = await t.api(
        'POST',
        '/api/flow-actions',
        { instanceId: inst.id, action: 'withdraw' },
        h()
      )
      expect(withdraw.status).toBe(403)
      const task = await taskOf(t, 'head_s1', inst.id)
      expect(
        (await t.api('POST', '/api/flow-actions', { taskId: task.id, action: 'approve' }, h())).status
      ).toBe(403)
      expect((await t.api('GET', `/api/flow-tasks/${task.id}`, undefined, h())).status).toBe(403)
      // Nothing changed: the instance still runs, the task still waits.
      expect((await instance(t, inst.id)).state).toBe('running')
      expect((await taskOf(t, 'head_s1', inst.id)).state).toBe('pending')
      await t.app.service('api-keys').patch(key.id, { scopes: { grants, flows: ['two'] } })
      expect(
        (await t.api('POST', '/api/flow-actions', { instanceId: inst.id, action: 'withdraw' }, h())).status
      ).toBe(201)
    })
  })
})
