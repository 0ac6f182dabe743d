import { describe, expect, it } from 'vitest'
import type { DictionaryItem } from '$lib/api/types'
import { ancestors, buildTree, subtree } from './tree'

const item = (code: string, parent: string | null, order = 0): DictionaryItem => ({
  id: code,
  dictionary: 'd',
  code,
  label: { 'zh-CN': code },
  parent,
  order,
  enabled: true
})

describe('dictionary tree', () => {
  const items = [
    item('b', null, 2),
    item('a', null, 1),
    item('a1', 'a', 2),
    item('a0', 'a', 1),
    item('a00', 'a0')
  ]

  it('nests items under their parents in order', () => {
    const roots = buildTree(items)
    expect(roots.map((n) => n.item.code)).toEqual(['a', 'b'])
    expect(roots[0].children.map((n) => n.item.code)).toEqual(['a0', 'a1'])
    expect(roots[0].children[0].children.map((n) => n.item.code)).toEqual(['a00'])
  })

  it('keeps orphans and cycles at the top level', () => {
    const roots = buildTree([item('x', 'missing'), item('p', 'q'), item('q', 'p')])
    expect(roots.map((n) => n.item.code).sort()).toContain('x')
    expect(roots.length).toBeGreaterThanOrEqual(2)
  })

  it('lists ancestors and subtrees', () => {
    expect(ancestors(items, 'a00')).toEqual(['a0', 'a'])
    expect([...subtree(items, 'a0')].sort()).toEqual(['a0', 'a00'])
  })
})
