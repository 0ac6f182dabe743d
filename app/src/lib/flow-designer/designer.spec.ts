import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '@medaffairs/plugin-sdk'
import { FlowDesigner } from './designer.svelte'

const label = { 'zh-CN': 'x', 'en-US': 'x' }
const flow = (positions: boolean): FlowDefinition => ({
  key: 'k',
  label,
  collection: 'c',
  nodes: [
    { id: 'start', type: 'start', label, ...(positions ? { position: { x: 24, y: 24 } } : {}) },
    {
      id: 'a',
      type: 'approve',
      label,
      assignee: { kind: 'applicant' },
      ...(positions ? { position: { x: 264, y: 24 } } : {})
    },
    { id: 'end', type: 'end', label, ...(positions ? { position: { x: 504, y: 24 } } : {}) }
  ],
  edges: [
    { from: 'start', to: 'a' },
    { from: 'a', to: 'end' }
  ]
})

describe('flow designer working copy', () => {
  it('inserts into an automatic layout without fixing positions: the new node gets a column of its own', () => {
    const d = new FlowDesigner(flow(false))
    const node = d.insert(1, 'notify')!
    expect(node.position).toBeUndefined()
    const x = (id: string) => d.places.get(id)!.x
    expect(x('a')).toBeLessThan(x(node.id))
    expect(x(node.id)).toBeLessThan(x('end'))
    expect(d.selectedNode?.id).toBe(node.id)
    expect(d.dirty).toBe(true)
    expect(d.problems.map((p) => p.code)).toEqual(['notify-without-target'])
  })

  it("inserts into a drawn layout at the target's place, moving it and what follows one column right", () => {
    const d = new FlowDesigner(flow(true))
    const node = d.insert(1, 'approve')!
    expect(node.position).toEqual({ x: 504, y: 24 })
    expect(d.node('end')!.position!.x).toBeGreaterThan(504)
    expect(d.node('a')!.position).toEqual({ x: 264, y: 24 })
    d.markSaved()
    expect(d.dirty).toBe(false)
  })
})
