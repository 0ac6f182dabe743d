import { describe, expect, it } from 'vitest'
import { fromCondition, toCondition } from './conditions'

describe('flow designer condition rows', () => {
  it("turns rows into the engine's condition and back", () => {
    const rows = [
      { field: 'level', op: 'in' as const, value: '1, 2，3' },
      { field: 'budget', op: 'gt' as const, value: ' 10 ' },
      { field: 'note', op: 'filled' as const, value: 'ignored' },
      { field: '', op: 'eq' as const, value: 'no field' }
    ]
    const c = toCondition('all', rows)
    expect(c).toEqual({
      all: [
        { field: 'level', op: 'in', value: ['1', '2', '3'] },
        { field: 'budget', op: 'gt', value: '10' },
        { field: 'note', op: 'filled' }
      ]
    })
    expect(fromCondition(c)).toEqual({
      join: 'all',
      rows: [
        { field: 'level', op: 'in', value: '1, 2, 3' },
        { field: 'budget', op: 'gt', value: '10' },
        { field: 'note', op: 'filled', value: '' }
      ]
    })
  })

  it('one row is a plain leaf, no rows is the default branch, nested groups are not rows', () => {
    expect(toCondition('any', [{ field: 'level', op: 'eq', value: '1' }])).toEqual({
      field: 'level',
      op: 'eq',
      value: '1'
    })
    expect(toCondition('any', [])).toBeUndefined()
    expect(fromCondition(undefined)).toEqual({ join: 'all', rows: [] })
    expect(
      fromCondition({ any: [{ field: 'a', op: 'eq', value: 1 }, { all: [{ field: 'b', op: 'empty' }] }] })
    ).toBeUndefined()
  })
})
