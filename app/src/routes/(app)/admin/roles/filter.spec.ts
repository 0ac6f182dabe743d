import { describe, expect, it } from 'vitest'
import { checkFilter, conditionsFromFilter, filterFromConditions, parseFilterJson } from './filter'

const fields = [
  { name: 'deptId', type: 'string' },
  { name: 'level', type: 'number' },
  { name: 'status', type: 'string' }
]

describe('role filter', () => {
  it('turns builder rows into a query and back', () => {
    const filter = filterFromConditions(
      [
        { field: 'deptId', op: '$in', value: '$user.deptSubtree' },
        { field: 'level', op: '$gte', value: '3' },
        { field: 'level', op: '$lt', value: '5' },
        { field: 'status', op: '$in', value: 'a, b' },
        { field: 'status', op: '$ne', value: 'x' }
      ],
      fields
    )
    expect(filter).toEqual({
      deptId: { $in: '$user.deptSubtree' },
      level: { $gte: 3, $lt: 5 },
      status: { $in: ['a', 'b'], $ne: 'x' }
    })
    expect(conditionsFromFilter(filter)).toHaveLength(5)
    expect(conditionsFromFilter({ ownerId: '$user.id' })).toEqual([
      { field: 'ownerId', op: '$eq', value: '$user.id' }
    ])
  })

  it('leaves nested filters to the JSON editor', () => {
    expect(conditionsFromFilter({ $or: [{ a: 1 }, { b: 2 }] })).toBeNull()
    expect(conditionsFromFilter({ a: { b: 1 } })).toBeNull()
  })

  it('validates JSON', () => {
    expect(parseFilterJson('{')).toEqual({ ok: false, error: 'roles.filter_bad_json' })
    expect(parseFilterJson('[1]')).toEqual({ ok: false, error: 'roles.filter_not_object' })
    expect(parseFilterJson('{"a":{"$regex":"x"}}')).toEqual({ ok: false, error: 'roles.filter_bad_operator' })
    expect(parseFilterJson('{"a":"$user.name"}')).toEqual({ ok: false, error: 'roles.filter_bad_variable' })
    expect(parseFilterJson('{"$or":[{"a":"$user.id"},{"b":{"$in":[1]}}]}')).toMatchObject({ ok: true })
    expect(checkFilter({})).toBe('roles.filter_empty')
  })
})
