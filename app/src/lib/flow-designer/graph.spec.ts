import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { validateFlow } from '$lib/sdk'
import { canAdd, connect, defaultNode, insertOnEdge, newNodeId, problemsByNode, removeNode } from './graph'

const label = { 'zh-CN': '审批', 'en-US': 'Approval' }
const flow = (): FlowDefinition => ({
  key: 'k',
  label,
  collection: 'c',
  nodes: [
    defaultNode('start', 'start', label),
    { id: 'head', type: 'approve', label, assignee: { kind: 'dept_leader' } },
    defaultNode('end', 'end', label)
  ],
  edges: [
    { from: 'start', to: 'head' },
    { from: 'head', to: 'end' },
    { from: 'head', to: 'end', on: 'rejected' }
  ]
})

describe('flow designer graph editing', () => {
  it('inserts a node on an edge, keeping the decision on the first half', () => {
    const def = flow()
    const node = defaultNode('approve', newNodeId(def, 'approve'), label)
    expect(node.id).toBe('approve_1')
    insertOnEdge(def, 2, node)
    expect(def.edges).toEqual([
      { from: 'start', to: 'head' },
      { from: 'head', to: 'end' },
      { from: 'head', to: 'approve_1', on: 'rejected' },
      { from: 'approve_1', to: 'end' }
    ])
    expect(newNodeId(def, 'approve')).toBe('approve_2')
  })

  it('a new approval has no assignee, and the shared validator says so on that node', () => {
    const def = flow()
    insertOnEdge(def, 1, defaultNode('approve', 'ma', label))
    const byNode = problemsByNode(validateFlow(def))
    expect(byNode.get('ma')?.map((p) => p.code)).toEqual(['no-assignee'])
    def.nodes.find((n) => n.id === 'ma')!.assignee = { kind: 'role', role: 'medical_affairs_admin' }
    expect(validateFlow(def)).toEqual([])
  })

  it('refuses edges into the start, out of an end, onto itself, or twice', () => {
    const def = flow()
    expect(connect(def, 'head', 'start')).toBe('into-start')
    expect(connect(def, 'end', 'head')).toBe('out-of-end')
    expect(connect(def, 'head', 'head')).toBe('same-node')
    expect(connect(def, 'head', 'end')).toBe('exists')
    expect(connect(def, 'start', 'end')).toBeNull()
    expect(def.edges).toHaveLength(4)
    expect(canAdd(def, 'start')).toBe(false)
    expect(canAdd(def, 'approve')).toBe(true)
  })

  it('removes a node on a plain path by bridging its neighbours, and a branching one with its edges', () => {
    const def = flow()
    insertOnEdge(def, 0, defaultNode('notify', 'tell', label))
    removeNode(def, 'tell')
    expect(def.edges).toEqual(flow().edges)
    removeNode(def, 'head')
    expect(def.nodes.map((n) => n.id)).toEqual(['start', 'end'])
    expect(def.edges).toEqual([])
  })
})
