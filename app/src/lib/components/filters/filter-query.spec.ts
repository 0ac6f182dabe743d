import { describe, expect, it } from 'vitest'
import {
  countRules,
  emptyGroup,
  fromQuery,
  ruleQuery,
  toQuery,
  type FilterField,
  type FilterGroup,
  type FilterNode
} from './filter-query'

const fields: FilterField[] = [
  { name: 'name', label: '名称', kind: 'text' },
  { name: 'order', label: '排序', kind: 'number' },
  { name: 'createdAt', label: '创建时间', kind: 'date' },
  { name: 'type', label: '类型', kind: 'select', options: [{ value: 'clinical', label: '临床' }] },
  { name: 'enabled', label: '启用', kind: 'boolean' }
]

const r = (field: string, op: string, value?: unknown): FilterNode => ({
  type: 'rule',
  id: 'x',
  field,
  op: op as never,
  value
})
const g = (join: 'and' | 'or', ...children: FilterNode[]): FilterGroup => ({
  type: 'group',
  id: 'x',
  join,
  children
})

/** The tree without ids, to compare shapes. */
function shape(node: FilterNode): unknown {
  return node.type === 'rule' ? [node.field, node.op, node.value] : { [node.join]: node.children.map(shape) }
}

describe('toQuery', () => {
  it('translates each operator', () => {
    expect(ruleQuery(r('name', 'contains', '张_1%') as never, fields)).toEqual({
      name: { $ilike: '%张\\_1\\%%' }
    })
    expect(ruleQuery(r('name', 'startsWith', '心') as never, fields)).toEqual({ name: { $ilike: '心%' } })
    expect(ruleQuery(r('name', 'empty') as never, fields)).toEqual({ name: { $in: [null, ''] } })
    expect(ruleQuery(r('order', 'empty') as never, fields)).toEqual({ order: { $eq: null } })
    expect(ruleQuery(r('order', 'gte', '10') as never, fields)).toEqual({ order: { $gte: 10 } })
    expect(ruleQuery(r('order', 'between', ['1', '5']) as never, fields)).toEqual({
      order: { $gte: 1, $lte: 5 }
    })
    expect(ruleQuery(r('createdAt', 'between', ['2026-01-01', '']) as never, fields)).toEqual({
      createdAt: { $gte: '2026-01-01' }
    })
    expect(ruleQuery(r('type', 'nin', ['clinical']) as never, fields)).toEqual({
      type: { $nin: ['clinical'] }
    })
    expect(ruleQuery(r('enabled', 'isTrue') as never, fields)).toEqual({ enabled: { $eq: true } })
    expect(ruleQuery(r('enabled', 'isFalse') as never, fields)).toEqual({ enabled: { $ne: true } })
  })

  it('skips incomplete conditions and empty groups', () => {
    expect(toQuery(g('and', r('name', 'contains', ''), r('', 'eq', 1), g('or')), fields)).toEqual({})
    expect(toQuery(emptyGroup(), fields)).toEqual({})
    expect(countRules(g('and', r('name', 'contains', ''), r('order', 'eq', 1)), fields)).toBe(1)
  })

  it('nests AND/OR groups to any depth', () => {
    const tree = g(
      'and',
      r('type', 'in', ['clinical']),
      g('or', r('name', 'contains', '内科'), g('and', r('order', 'gt', 5), r('enabled', 'isTrue')))
    )
    expect(toQuery(tree, fields)).toEqual({
      $and: [
        { type: { $in: ['clinical'] } },
        {
          $or: [{ name: { $ilike: '%内科%' } }, { $and: [{ order: { $gt: 5 } }, { enabled: { $eq: true } }] }]
        }
      ]
    })
  })

  it('collapses a group of one', () => {
    expect(toQuery(g('or', r('name', 'eq', 'x')), fields)).toEqual({ name: { $eq: 'x' } })
  })
})

describe('fromQuery', () => {
  it('reads back what toQuery wrote', () => {
    const tree = g(
      'and',
      r('type', 'in', ['clinical']),
      g(
        'or',
        r('name', 'contains', '内_科'),
        g('and', r('order', 'between', [1, 5]), r('enabled', 'isFalse'))
      ),
      r('name', 'empty')
    )
    expect(shape(fromQuery(toQuery(tree, fields)))).toEqual(shape(tree))
    const or = g('or', r('name', 'startsWith', '心'), r('createdAt', 'lt', '2026-01-01'))
    expect(shape(fromQuery(toQuery(or, fields)))).toEqual(shape(or))
  })

  it('reads hand-written queries: plain values, several fields, several operators', () => {
    expect(
      shape(fromQuery({ type: 'clinical', enabled: true, order: { $gt: 1, $lt: 9 }, $limit: 10 }))
    ).toEqual({
      and: [
        ['type', 'eq', 'clinical'],
        ['enabled', 'isTrue', undefined],
        ['order', 'gt', 1],
        ['order', 'lt', 9]
      ]
    })
    expect(shape(fromQuery({ $or: [{ a: 1, b: 2 }, { c: null }] }))).toEqual({
      or: [
        {
          and: [
            ['a', 'eq', 1],
            ['b', 'eq', 2]
          ]
        },
        ['c', 'empty', undefined]
      ]
    })
  })

  it('gives an empty AND group for nothing', () => {
    expect(shape(fromQuery(undefined))).toEqual({ and: [] })
    expect(shape(fromQuery({}))).toEqual({ and: [] })
  })
})
