import { describe, expect, it } from 'vitest'
import type { Department } from '$lib/api/types'
import { buildDeptTree, deptOptions, isBelow, subtreeIds } from './dept-tree'

const dept = (id: string, parentId: string | null, order = 0): Department => ({
  id,
  code: id,
  name: id,
  type: 'clinical',
  parentId,
  path: '',
  depth: 0,
  order,
  leaderIds: [],
  enabled: true
})

const depts = [
  dept('h', null),
  dept('b', 'h', 2),
  dept('a', 'h', 1),
  dept('a1', 'a'),
  dept('a11', 'a1'),
  dept('x', 'gone')
]

describe('department tree', () => {
  it('nests any depth in order and keeps orphans at the top', () => {
    const roots = buildDeptTree(depts)
    expect(roots.map((n) => n.dept.id)).toEqual(['h', 'x'])
    expect(roots[0].children.map((n) => n.dept.id)).toEqual(['a', 'b'])
    expect(roots[0].children[0].children[0].children[0].dept.id).toBe('a11')
  })

  it('knows subtrees', () => {
    expect(isBelow(depts, 'a11', 'a')).toBe(true)
    expect(isBelow(depts, 'b', 'a')).toBe(false)
    expect(subtreeIds(depts, 'a').sort()).toEqual(['a', 'a1', 'a11'])
  })

  it('lists options indented, without an excluded subtree', () => {
    const options = deptOptions(depts, 'a')
    expect(options.map((o) => o.id)).toEqual(['h', 'b', 'x'])
    expect(options[1].label).toBe('\u3000b')
  })

  it('survives a cycle', () => {
    const loop = [dept('p', 'q'), dept('q', 'p')]
    expect(buildDeptTree(loop).length).toBeGreaterThan(0)
  })
})
