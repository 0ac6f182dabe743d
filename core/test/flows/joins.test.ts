import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, type FlowDefinition, type FlowNode } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { instance, startFlowTestServer, startOn, taskOf, type FlowTestServer } from './support.js'

const zh = (s: string) => ({ 'zh-CN': s, 'en-US': s })
const node = (id: string, type: FlowNode['type'], extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type,
  label: zh(id),
  ...extra
})
const users = (...ids: string[]) => ({ kind: 'users' as const, userIds: ids })
const line = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i], to }))
const LEVEL_1 = { field: 'level', op: 'eq' as const, value: '1' }

/** Joins after branches a condition may skip (the join must not wait for a branch that cannot come). */
function joinFlows(): FlowDefinition[] {
  const flow = (key: string, nodes: FlowNode[], edges: FlowDefinition['edges']): FlowDefinition => ({
    key,
    label: zh(key),
    collection: 'proposals',
    nodes: [node('start', 'start'), ...nodes],
    edges
  })
  return [
    // A condition's two branches meet again at a join: only one of them ever arrives.
    flow(
      'merge',
      [
        node('cond', 'condition'),
        node('big', 'approve', { assignee: users('u-c1') }),
        node('small', 'approve', { assignee: users('u-head_s1') }),
        node('join', 'join'),
        node('end', 'end')
      ],
      [
        ...line('start', 'cond'),
        { from: 'cond', to: 'big', when: LEVEL_1 },
        { from: 'cond', to: 'small' },
        ...line('big', 'join'),
        ...line('small', 'join'),
        ...line('join', 'end')
      ]
    ),
    // A parallel split whose second branch is conditional; its default edge goes straight to the join.
    // The conditional branch is listed first, so it reaches the join before the other branch is entered.
    flow(
      'skipjoin',
      [
        node('split', 'parallel'),
        node('cond', 'condition'),
        node('p1', 'approve', { assignee: users('u-head_s1') }),
        node('p2', 'approve', { assignee: users('u-c1') }),
        node('join', 'join'),
        node('end', 'end')
      ],
      [
        ...line('start', 'split'),
        ...line('split', 'cond'),
        ...line('split', 'p1', 'join'),
        { from: 'cond', to: 'p2', when: LEVEL_1 },
        { from: 'cond', to: 'join' },
        ...line('p2', 'join'),
        ...line('join', 'end')
      ]
    )
  ]
}

describe.each(DRIVERS)('flow joins after skipped branches on %s', (driver) => {
  let t: FlowTestServer
  beforeAll(async () => {
    t = await startFlowTestServer(driver, {
      definitions: true,
      plugins: [definePlugin({ name: 'jointest', version: '1.0.0', flows: joinFlows() })]
    })
  })
  afterAll(() => t.close())

  const approve = async (who: string, id: string) => {
    const res = await t.act(who, { taskId: (await taskOf(t, who, id)).id, action: 'approve' })
    expect(res.status).toBe(201)
  }

  it('goes on after a conditional merge when the branch taken arrives (either branch)', async () => {
    const small = await startOn(t, 'merge', { level: '4' })
    expect(small.active).toEqual(['small'])
    await approve('head_s1', small.id)
    expect(await instance(t, small.id)).toMatchObject({ state: 'completed', outcome: 'approved', active: [] })
    const big = await startOn(t, 'merge', { level: '1' })
    expect(big.active).toEqual(['big'])
    await approve('c1', big.id)
    expect(await instance(t, big.id)).toMatchObject({ state: 'completed', outcome: 'approved' })
  })

  it('does not wait at a parallel join for a conditional branch that was skipped, nor fire before the live branch', async () => {
    const skipped = await startOn(t, 'skipjoin', { level: '4' })
    expect(skipped.active).toEqual(['p1'])
    // The skipped branch arrived first; the join still waits for p1.
    const waiting = await instance(t, skipped.id)
    expect(waiting.steps.find((s: { nodeId: string }) => s.nodeId === 'join')).toMatchObject({
      state: 'waiting'
    })
    await approve('head_s1', skipped.id)
    expect(await instance(t, skipped.id)).toMatchObject({ state: 'completed', outcome: 'approved' })
  })

  it('waits for both live branches when the condition takes its branch', async () => {
    const taken = await startOn(t, 'skipjoin', { level: '1' })
    expect([...taken.active].sort()).toEqual(['p1', 'p2'])
    await approve('c1', taken.id)
    expect(await instance(t, taken.id)).toMatchObject({ state: 'running', active: ['p1'] })
    await approve('head_s1', taken.id)
    expect(await instance(t, taken.id)).toMatchObject({ state: 'completed', outcome: 'approved' })
  })
})
