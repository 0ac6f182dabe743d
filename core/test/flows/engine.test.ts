import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import {
  instance,
  startFlowTestServer,
  startOn,
  taskOf,
  testFlows,
  type FlowTestServer,
  type Rec
} from './support.js'

const SCORES = {
  A: { novelty: 18, safety: 22, feasibility: 45 },
  B: { novelty: 15, safety: 20, feasibility: 40 },
  C: { novelty: 10, safety: 10, feasibility: 20 }
}

describe.each(DRIVERS)('flow engine on %s', (driver) => {
  let t: FlowTestServer
  beforeAll(async () => {
    t = await startFlowTestServer(driver, { definitions: true })
  })
  afterAll(() => t.close())

  const recordState = async (id: string) => (await t.app.service('proposals').get(id)).state

  it('runs start → department leader → expert panel → committee (any may sign) → end', async () => {
    const inst = await startOn(t, 'newtech')
    expect(inst).toMatchObject({
      state: 'running',
      active: ['leader'],
      version: 1,
      startedBy: t.user.applicant.id
    })
    expect(await recordState(inst.recordId)).toBe('reviewing:leader')
    const leaderTask = await taskOf(t, 'head_s1', inst.id)
    const note = (await t.api('GET', '/api/notifications', undefined, t.auth.head_s1)).body.data[0]
    expect(note).toMatchObject({ kind: 'flow.assigned', link: `/flows/tasks/${leaderTask.id}` })
    expect(
      (await t.act('head_s1', { taskId: leaderTask.id, action: 'approve', comment: '同意' })).status
    ).toBe(201)
    expect(await recordState(inst.recordId)).toBe('reviewing:panel')
    const panel = (await instance(t, inst.id)).tasks
      .filter((x: Rec) => x.nodeId === 'panel')
      .map((x: Rec) => x.assigneeId)
      .sort()
    // e3 sits in the applicant's own department and is left out.
    expect(panel).toEqual([t.user.e1.id, t.user.e2.id, t.user.e4.id])
    for (const [who, s] of [
      ['e1', SCORES.A],
      ['e2', SCORES.B],
      ['e4', SCORES.C]
    ] as const) {
      const res = await t.act(who, {
        taskId: (await taskOf(t, who, inst.id)).id,
        action: 'score',
        scores: s,
        comment: `${who} ok`
      })
      expect(res.status).toBe(201)
    }
    const view = await instance(t, inst.id)
    // Totals 85, 75, 40: the trimmed mean keeps 75.
    expect(view.steps.find((s: Rec) => s.nodeId === 'panel')).toMatchObject({
      state: 'done',
      decision: 'passed',
      result: { count: 3, aggregate: 75, passed: true, totals: [40, 75, 85] }
    })
    expect(await recordState(inst.recordId)).toBe('reviewing:committee')
    const committee = await Promise.all(['c1', 'c2', 'c3'].map((c) => taskOf(t, c, inst.id)))
    expect((await t.act('c2', { taskId: committee[1].id, action: 'approve' })).status).toBe(201)
    const end = await instance(t, inst.id)
    expect(end).toMatchObject({ state: 'completed', outcome: 'approved', active: [] })
    expect(
      end.tasks
        .filter((x: Rec) => x.nodeId === 'committee')
        .map((x: Rec) => x.state)
        .sort()
    ).toEqual(['cancelled', 'cancelled', 'done'])
    expect(await recordState(inst.recordId)).toBe('approved')
    const audit = (await t.app
      .service('audit')
      .find({ query: { action: 'flow', recordId: inst.recordId } })) as { data: Rec[] }
    expect(audit.data.map((e) => e.diff.action).reverse()).toEqual([
      'start',
      'approve',
      'score',
      'score',
      'score',
      'close_round',
      'approve'
    ])
    expect(audit.data[0].diff).toMatchObject({
      instance: inst.id,
      node: 'committee',
      action: 'approve',
      decision: 'approved'
    })
  })

  it('fails the panel below the threshold and ends rejected by the failed edge', async () => {
    const inst = await startOn(t, 'newtech')
    await t.act('head_s1', { taskId: (await taskOf(t, 'head_s1', inst.id)).id, action: 'approve' })
    for (const who of ['e1', 'e2', 'e4'])
      await t.act(who, { taskId: (await taskOf(t, who, inst.id)).id, action: 'score', scores: SCORES.C })
    expect(await instance(t, inst.id)).toMatchObject({ state: 'rejected', outcome: 'rejected' })
    expect(await recordState(inst.recordId)).toBe('rejected')
  })

  it('refuses bad score sheets with the field at fault', async () => {
    const inst = await startOn(t, 'newtech')
    await t.act('head_s1', { taskId: (await taskOf(t, 'head_s1', inst.id)).id, action: 'approve' })
    const task = await taskOf(t, 'e1', inst.id)
    const over = await t.act('e1', { taskId: task.id, action: 'score', scores: { ...SCORES.A, novelty: 21 } })
    expect(over.status).toBe(400)
    expect(over.body.errors[0].field).toBe('scores.novelty')
    expect((await t.act('e1', { taskId: task.id, action: 'score', scores: { novelty: 1 } })).status).toBe(400)
    expect((await t.act('e1', { taskId: task.id, action: 'approve' })).status).toBe(400)
  })

  it('"all" needs every signature, and one rejection rejects', async () => {
    const a = await startOn(t, 'all')
    for (const c of ['c1', 'c2']) await t.act(c, { taskId: (await taskOf(t, c, a.id)).id, action: 'approve' })
    expect((await instance(t, a.id)).state).toBe('running')
    await t.act('c3', { taskId: (await taskOf(t, 'c3', a.id)).id, action: 'approve' })
    expect((await instance(t, a.id)).outcome).toBe('approved')
    const b = await startOn(t, 'all')
    await t.act('c1', { taskId: (await taskOf(t, 'c1', b.id)).id, action: 'reject', comment: '不同意' })
    expect(await instance(t, b.id)).toMatchObject({ state: 'rejected', outcome: 'rejected' })
  })

  it('"any" takes the first decision; "vote" decides once the threshold is reached or out of reach', async () => {
    const a = await startOn(t, 'any')
    await t.act('c3', { taskId: (await taskOf(t, 'c3', a.id)).id, action: 'reject' })
    expect((await instance(t, a.id)).outcome).toBe('rejected')
    const v = await startOn(t, 'vote')
    await t.act('c1', { taskId: (await taskOf(t, 'c1', v.id)).id, action: 'approve' })
    expect((await instance(t, v.id)).state).toBe('running')
    await t.act('c2', { taskId: (await taskOf(t, 'c2', v.id)).id, action: 'approve' })
    // 2 of 3 ≥ 0.6: approved without waiting for c3, whose task is withdrawn from the inbox.
    expect((await instance(t, v.id)).outcome).toBe('approved')
    expect((await t.todo('c3')).some((x) => x.instanceId === v.id)).toBe(false)
    const w = await startOn(t, 'vote')
    await t.act('c1', { taskId: (await taskOf(t, 'c1', w.id)).id, action: 'reject' })
    await t.act('c2', { taskId: (await taskOf(t, 'c2', w.id)).id, action: 'reject' })
    expect((await instance(t, w.id)).outcome).toBe('rejected')
  })

  it('branches on the record: the first matching condition, else the default edge', async () => {
    const big = await startOn(t, 'branch', { level: '1' })
    expect(big.active).toEqual(['big'])
    const small = await startOn(t, 'branch', { level: '4' })
    expect(small.active).toEqual(['small'])
    expect((await taskOf(t, 'head_s1', small.id)).nodeId).toBe('small')
  })

  it('splits into parallel branches, joins when all have arrived, then copies the notify target', async () => {
    const inst = await startOn(t, 'parallel')
    expect([...inst.active].sort()).toEqual(['p1', 'p2'])
    expect(await recordState(inst.recordId)).toMatch(/^reviewing:p[12],p[12]$/)
    await t.act('head_s', { taskId: (await taskOf(t, 'head_s', inst.id)).id, action: 'approve' })
    expect(await instance(t, inst.id)).toMatchObject({ state: 'running', active: ['p1'] })
    await t.act('head_s1', { taskId: (await taskOf(t, 'head_s1', inst.id)).id, action: 'approve' })
    expect((await instance(t, inst.id)).outcome).toBe('approved')
    const cc = (await t.api('GET', '/api/flow-tasks?box=cc', undefined, t.auth.ma)).body.data
    expect(cc.find((x: Rec) => x.instanceId === inst.id)).toMatchObject({ kind: 'cc', nodeId: 'tell' })
  })

  it('lets the previous approver choose the next assignees', async () => {
    const inst = await startOn(t, 'chosen')
    const task = await taskOf(t, 'head_s1', inst.id)
    const miss = await t.act('head_s1', { taskId: task.id, action: 'approve' })
    expect(miss.status).toBe(400)
    expect(miss.body.errors[0].field).toBe('nextAssignees')
    const hint = (await t.api('GET', `/api/flow-tasks/${task.id}`, undefined, t.auth.head_s1)).body
    expect(hint.chooseNext).toBe(true)
    expect(
      (await t.act('head_s1', { taskId: task.id, action: 'approve', nextAssignees: [t.user.c2.id] })).status
    ).toBe(201)
    expect((await taskOf(t, 'c2', inst.id)).nodeId).toBe('b')
  })

  it('finishes a running instance on the version it started with after v2 is published', async () => {
    const old = await startOn(t, 'versioned')
    const v1 = testFlows().find((f) => f.key === 'versioned')!
    const body: FlowDefinition = {
      ...v1,
      nodes: [
        ...v1.nodes,
        {
          id: 'b',
          type: 'approve',
          label: { 'zh-CN': 'b' },
          assignee: { kind: 'users', userIds: [t.user.head_s.id] }
        }
      ],
      edges: [
        { from: 'start', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'end' }
      ]
    }
    // The plugin's flow was published as version 1 when first used; the designer publishes 2.
    const v2 = await t.app
      .service('definitions/publish')
      .create({ kind: 'flow', key: 'versioned', body, comment: 'adds b' })
    expect(v2.definition.version).toBe(2)
    const fresh = await startOn(t, 'versioned')
    expect(fresh.version).toBe(2)
    await t.act('head_s1', { taskId: (await taskOf(t, 'head_s1', old.id)).id, action: 'approve' })
    expect(await instance(t, old.id)).toMatchObject({ version: 1, state: 'completed' })
    await t.act('head_s1', { taskId: (await taskOf(t, 'head_s1', fresh.id)).id, action: 'approve' })
    expect(await instance(t, fresh.id)).toMatchObject({ version: 2, state: 'running', active: ['b'] })
    const listed = (await t.api('GET', '/api/flows', undefined, t.auth.applicant)).body
    expect(listed.find((f: Rec) => f.key === 'versioned').version).toBe(2)
  })

  it("starts only on a record the starter can read, of the flow's collection, once per record", async () => {
    const rec = await t.propose('applicant')
    expect((await t.start('outsider', 'two', rec.id)).status).toBe(404)
    const wrong = await t.api(
      'POST',
      '/api/flows/start',
      { flowKey: 'two', collection: 'track_reports', recordId: rec.id },
      t.auth.applicant
    )
    expect(wrong.status).toBe(400)
    expect((await t.start('applicant', 'nope', rec.id)).status).toBe(404)
    expect((await t.start('applicant', 'two', rec.id)).status).toBe(201)
    expect((await t.start('applicant', 'two', rec.id)).status).toBe(409)
    expect(
      (
        await t.api(
          'POST',
          '/api/flows/start',
          { flowKey: 'two', collection: 'proposals', recordId: rec.id },
          {}
        )
      ).status
    ).toBe(401)
  })
})
