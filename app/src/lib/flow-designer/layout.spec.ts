import { describe, expect, it } from 'vitest'
import type { FlowDefinition, FlowNode } from '@medaffairs/plugin-sdk'
import { autoLayout, bounds, edgePath, freeSpot, NODE_H, NODE_W, positions, snap } from './layout'

const n = (id: string, type: FlowNode['type'] = 'approve', extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type,
  label: { 'zh-CN': id },
  ...extra
})
const def = (nodes: FlowNode[], edges: FlowDefinition['edges']): FlowDefinition => ({
  key: 'k',
  label: { 'zh-CN': 'k' },
  collection: 'c',
  nodes,
  edges
})

describe('flow designer layout', () => {
  it('puts nodes in columns by their longest path from the start, ignoring loops back', () => {
    const d = def(
      [n('s', 'start'), n('a'), n('b'), n('c'), n('e', 'end'), n('lost')],
      [
        { from: 's', to: 'a' },
        { from: 's', to: 'b' },
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'e' },
        { from: 'c', to: 'a', on: 'rejected' }
      ]
    )
    const p = autoLayout(d)
    const col = (id: string) => p.get(id)!.x
    expect(col('s')).toBeLessThan(col('a'))
    expect(col('a')).toBe(col('b'))
    expect(p.get('a')!.y).not.toBe(p.get('b')!.y)
    expect(col('c')).toBeGreaterThan(col('a'))
    expect(col('e')).toBeGreaterThan(col('c'))
    expect(col('lost')).toBeGreaterThan(col('e'))
  })

  it('keeps a stored position and lays out the rest', () => {
    const d = def(
      [n('s', 'start', { position: { x: 400, y: 320 } }), n('e', 'end')],
      [{ from: 's', to: 'e' }]
    )
    expect(positions(d).get('s')).toEqual({ x: 400, y: 320 })
    expect(positions(d).get('e')!.x).toBeGreaterThan(0)
  })

  it('routes forward edges side to side and backward edges below both boxes', () => {
    expect(edgePath({ x: 0, y: 0 }, { x: 300, y: 0 })).toBe(
      `M${NODE_W},${NODE_H / 2} C${(NODE_W + 300) / 2},${NODE_H / 2} ${(NODE_W + 300) / 2},${NODE_H / 2} 300,${NODE_H / 2}`
    )
    const back = edgePath({ x: 300, y: 0 }, { x: 0, y: 100 })
    const lowest = Math.max(
      ...back
        .match(/-?\d+(\.\d+)?/g)!
        .map(Number)
        .filter((_, i) => i % 2 === 1)
    )
    expect(lowest).toBeGreaterThan(100 + NODE_H)
  })

  it('snaps to the grid, finds a free spot and sizes the canvas', () => {
    expect(snap(13)).toBe(16)
    expect(snap(-20)).toBe(0)
    expect(
      freeSpot([
        { x: 0, y: 0 },
        { x: 240, y: 96 }
      ]).x
    ).toBeGreaterThan(240 + NODE_W)
    expect(bounds([{ x: 500, y: 300 }])).toEqual({ width: 500 + NODE_W + 24, height: 300 + NODE_H + 40 + 24 })
  })
})
