import { describe, expect, it } from 'vitest'
import type { FlowDefinition, FlowNode, ScoreSheet } from '@medaffairs/plugin-sdk'
import { aggregate, conditionMatches, expertTotal, validateFlow } from '../../src/flows/index.js'
import { decide } from '../../src/flows/actions.js'
import { FlowGraph } from '../../src/flows/graph.js'
import type { TaskRow } from '../../src/flows/types.js'
import { testFlows } from './support.js'

const n = (id: string, type: FlowNode['type'], extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type,
  label: { 'zh-CN': id },
  ...extra
})
const who = { kind: 'role' as const, role: 'x' }
const def = (nodes: FlowNode[], edges: FlowDefinition['edges']): FlowDefinition => ({
  key: 'k',
  label: { 'zh-CN': 'k' },
  collection: 'c',
  nodes,
  edges
})
const codes = (d: FlowDefinition) => [...new Set(validateFlow(d).map((p) => p.code))].sort()

describe('validateFlow', () => {
  it('accepts every flow of the test plugin', () => {
    for (const f of testFlows()) expect(validateFlow(f), f.key).toEqual([])
  })

  it('flags a half-filled assignee rule as the designer leaves it', () => {
    const flow = (rule: FlowNode['assignee']) =>
      def(
        [n('s', 'start'), n('a', 'approve', { assignee: rule }), n('e', 'end')],
        [
          { from: 's', to: 'a' },
          { from: 'a', to: 'e' }
        ]
      )
    expect(codes(flow({ kind: 'role', role: '' }))).toEqual(['bad-assignee'])
    expect(codes(flow({ kind: 'users', userIds: [] }))).toEqual(['bad-assignee'])
    expect(codes(flow({ kind: 'dept_leader', levels: 0 }))).toEqual(['bad-assignee'])
    expect(codes(flow({ kind: 'dept_leader', levels: 2 }))).toEqual([])
    expect(codes(flow({ kind: 'chosen' }))).toEqual([])
  })

  it('names each kind of mistake', () => {
    expect(codes(def([n('a', 'approve', { assignee: who })], []))).toEqual(['dead-end', 'no-end', 'no-start'])
    expect(codes(def([n('s', 'start'), n('s', 'end')], [{ from: 's', to: 's' }]))).toEqual(
      expect.arrayContaining(['duplicate-id'])
    )
    expect(
      codes(
        def(
          [n('s', 'start'), n('e', 'end')],
          [
            { from: 's', to: 'e' },
            { from: 's', to: 'x' }
          ]
        )
      )
    ).toEqual(['unknown-node'])
    expect(
      codes(
        def(
          [n('s', 'start'), n('a', 'approve', { assignee: who }), n('e', 'end')],
          [
            { from: 's', to: 'e' },
            { from: 'a', to: 'e' }
          ]
        )
      )
    ).toEqual(['unreachable'])
    const loop = def(
      [
        n('s', 'start'),
        n('a', 'approve', { assignee: who }),
        n('b', 'approve', { assignee: who }),
        n('e', 'end')
      ],
      [
        { from: 's', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 's', to: 'e' }
      ]
    )
    expect(codes(loop)).toEqual(['loop-without-exit', 'no-way-to-end'])
    expect(
      codes(
        def(
          [
            n('s', 'start'),
            n('a', 'approve'),
            n('v', 'approve', { assignee: who, mode: 'vote' }),
            n('p', 'score', { assignee: who }),
            n('f', 'fill', { assignee: who }),
            n('e', 'end')
          ],
          [
            { from: 's', to: 'a' },
            { from: 'a', to: 'v' },
            { from: 'v', to: 'p' },
            { from: 'p', to: 'f' },
            { from: 'f', to: 'e' }
          ]
        )
      )
    ).toEqual(['fill-without-form', 'no-assignee', 'score-without-sheet', 'vote-without-threshold'])
    expect(
      codes(
        def(
          [n('s', 'start'), n('c', 'condition'), n('e', 'end')],
          [
            { from: 's', to: 'c' },
            { from: 'c', to: 'e', when: { field: 'x', op: 'filled' } }
          ]
        )
      )
    ).toEqual(['condition-without-default'])
    expect(
      codes(
        def(
          [n('s', 'start'), n('j', 'join'), n('e', 'end')],
          [
            { from: 's', to: 'j' },
            { from: 'j', to: 'e' },
            { from: 'e', to: 's' }
          ]
        )
      )
    ).toEqual(['bad-join', 'edge-into-start', 'end-with-exit'])
  })

  it('keeps loops that have an exit (a return edge to an earlier step)', () => {
    const ok = def(
      [
        n('s', 'start'),
        n('a', 'approve', { assignee: who }),
        n('b', 'approve', { assignee: who }),
        n('e', 'end')
      ],
      [
        { from: 's', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a', on: 'rejected' },
        { from: 'b', to: 'e' }
      ]
    )
    expect(validateFlow(ok)).toEqual([])
  })
})

describe('conditions and edges', () => {
  it('evaluates form conditions on records, numbers and text alike', () => {
    const r = { level: '2', n: 5, tags: ['a', 'b'], empty: '' }
    expect(conditionMatches({ field: 'level', op: 'in', value: [1, 2] }, r)).toBe(true)
    expect(conditionMatches({ field: 'n', op: 'gte', value: '5' }, r)).toBe(true)
    expect(conditionMatches({ field: 'tags', op: 'eq', value: 'b' }, r)).toBe(true)
    expect(
      conditionMatches(
        {
          all: [
            { field: 'empty', op: 'empty' },
            {
              any: [
                { field: 'n', op: 'lt', value: 1 },
                { field: 'level', op: 'ne', value: '3' }
              ]
            }
          ]
        },
        r
      )
    ).toBe(true)
    expect(conditionMatches({ field: 'missing', op: 'gt', value: 1 }, r)).toBe(false)
  })

  it('takes rejected/failed edges only for negative decisions, and default edges for positive ones', () => {
    const g = new FlowGraph(
      def(
        [n('s', 'start'), n('p', 'score', { assignee: who }), n('ok', 'end'), n('no', 'end')],
        [
          { from: 's', to: 'p' },
          { from: 'p', to: 'ok' },
          { from: 'p', to: 'no', on: 'failed' }
        ]
      )
    )
    expect(g.next('p', 'passed', {}).map((e) => e.to)).toEqual(['ok'])
    expect(g.next('p', 'failed', {}).map((e) => e.to)).toEqual(['no'])
    expect(g.next('p', 'rejected', {}).map((e) => e.to)).toEqual(['no'])
  })
})

describe('scoring and approval modes', () => {
  const sheet: ScoreSheet = {
    criteria: [
      { key: 'a', label: { 'zh-CN': 'a' }, max: 20, weight: 3 },
      { key: 'b', label: { 'zh-CN': 'b' }, max: 80, weight: 1 }
    ],
    aggregate: 'mean',
    pass: { kind: 'threshold', value: 60 }
  }
  it('sums, weighs and aggregates', () => {
    expect(expertTotal(sheet, { a: 10, b: 40 })).toBe(50)
    // weighted: (3·10/20 + 1·40/80) / 4 · 100 = 50; (3·20/20 + 0) / 4 · 100 = 75
    expect(expertTotal({ ...sheet, aggregate: 'weighted' }, { a: 20, b: 0 })).toBe(75)
    expect(aggregate(sheet, [90, 60, 30])).toBe(60)
    expect(aggregate({ ...sheet, aggregate: 'trimmed_mean' }, [100, 60, 50, 0])).toBe(55)
    expect(aggregate({ ...sheet, aggregate: 'trimmed_mean' }, [100, 0])).toBe(50)
    expect(aggregate(sheet, [])).toBeNull()
  })

  it('decides steps by mode', () => {
    const task = (state: string, decision: string | null) => ({ kind: 'approve', state, decision }) as TaskRow
    const p = task('pending', null),
      y = task('done', 'approve'),
      no = task('done', 'reject'),
      moved = task('done', 'transfer')
    expect(decide('all', undefined, [y, p])).toBeNull()
    expect(decide('all', undefined, [y, y, moved])).toBe('approved')
    expect(decide('all', undefined, [y, no, p])).toBe('rejected')
    expect(decide('any', undefined, [p, y])).toBe('approved')
    expect(decide('vote', 0.5, [y, p, p, p])).toBeNull()
    expect(decide('vote', 0.5, [y, y, p, p])).toBe('approved')
    expect(decide('vote', 0.75, [no, no, p, p])).toBe('rejected')
  })
})
