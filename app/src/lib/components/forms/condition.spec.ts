import { describe, expect, it } from 'vitest'
import { evaluateCondition, getPath, isEmptyValue, isRequired, isVisible } from './condition'

describe('evaluateCondition', () => {
  const record = {
    level: '2',
    age: 45,
    tags: ['a', 'b'],
    name: '',
    nested: { city: '深圳' },
    family: [{ relation: 'spouse' }]
  }

  it('is true without a condition', () => {
    expect(evaluateCondition(undefined, record)).toBe(true)
  })

  it('compares equal values across numbers and numeric text', () => {
    expect(evaluateCondition({ field: 'level', op: 'eq', value: 2 }, record)).toBe(true)
    expect(evaluateCondition({ field: 'level', op: 'ne', value: '2' }, record)).toBe(false)
    expect(evaluateCondition({ field: 'age', op: 'eq', value: '45' }, record)).toBe(true)
  })

  it('treats a list as containing the value for eq and as overlapping for in', () => {
    expect(evaluateCondition({ field: 'tags', op: 'eq', value: 'b' }, record)).toBe(true)
    expect(evaluateCondition({ field: 'tags', op: 'in', value: ['x', 'a'] }, record)).toBe(true)
    expect(evaluateCondition({ field: 'tags', op: 'nin', value: ['x'] }, record)).toBe(true)
    expect(evaluateCondition({ field: 'level', op: 'in', value: ['1', '2'] }, record)).toBe(true)
    expect(evaluateCondition({ field: 'level', op: 'nin', value: ['1', '2'] }, record)).toBe(false)
  })

  it('orders numbers as numbers and dates as text', () => {
    expect(evaluateCondition({ field: 'age', op: 'gt', value: 9 }, record)).toBe(true)
    expect(evaluateCondition({ field: 'age', op: 'lte', value: 45 }, record)).toBe(true)
    expect(evaluateCondition({ field: 'age', op: 'lt', value: '100' }, record)).toBe(true)
    expect(evaluateCondition({ field: 'd', op: 'gte', value: '2020-01-01' }, { d: '2021-05-01' })).toBe(true)
    expect(evaluateCondition({ field: 'd', op: 'lt', value: '2020-01-01' }, { d: '2021-05-01' })).toBe(false)
  })

  it('never orders a missing value', () => {
    expect(evaluateCondition({ field: 'missing', op: 'gt', value: 1 }, record)).toBe(false)
    expect(evaluateCondition({ field: 'missing', op: 'lt', value: 1 }, record)).toBe(false)
  })

  it('tells empty from filled', () => {
    expect(evaluateCondition({ field: 'name', op: 'empty' }, record)).toBe(true)
    expect(evaluateCondition({ field: 'tags', op: 'filled' }, record)).toBe(true)
    expect(evaluateCondition({ field: 'missing', op: 'empty' }, record)).toBe(true)
  })

  it('reads dotted paths', () => {
    expect(evaluateCondition({ field: 'nested.city', op: 'eq', value: '深圳' }, record)).toBe(true)
    expect(getPath(record, 'family.0.relation')).toBe('spouse')
  })

  it('combines with all and any, nested', () => {
    const cond = {
      all: [
        { field: 'age', op: 'gte' as const, value: 18 },
        {
          any: [
            { field: 'level', op: 'eq' as const, value: '1' },
            { field: 'tags', op: 'eq' as const, value: 'a' }
          ]
        }
      ]
    }
    expect(evaluateCondition(cond, record)).toBe(true)
    expect(evaluateCondition({ any: [] }, record)).toBe(false)
    expect(evaluateCondition({ all: [] }, record)).toBe(true)
  })

  it('looks a sub-table column up in its row, then in the record', () => {
    const row = { relation: 'child' }
    expect(evaluateCondition({ field: 'relation', op: 'eq', value: 'child' }, row, record)).toBe(true)
    expect(evaluateCondition({ field: 'level', op: 'eq', value: '2' }, row, record)).toBe(true)
  })

  it('is false for an unknown operator', () => {
    expect(evaluateCondition({ field: 'age', op: 'like' as never, value: 1 }, record)).toBe(false)
  })
})

describe('visible and required', () => {
  it('follows the conditions', () => {
    const field = {
      visible: { field: 'hasFamily', op: 'eq' as const, value: true },
      required: { field: 'type', op: 'eq' as const, value: 'x' }
    }
    expect(isVisible(field, { hasFamily: true })).toBe(true)
    expect(isVisible(field, { hasFamily: false })).toBe(false)
    expect(isRequired(field, { type: 'x' })).toBe(true)
    expect(isRequired(field, { type: 'y' })).toBe(false)
    expect(isRequired({ required: true }, {})).toBe(true)
    expect(isRequired({}, {})).toBe(false)
  })

  it('counts blank text, empty lists and empty ranges as empty', () => {
    expect(isEmptyValue('  ')).toBe(true)
    expect(isEmptyValue([])).toBe(true)
    expect(isEmptyValue({ from: '', to: null })).toBe(true)
    expect(isEmptyValue(0)).toBe(false)
    expect(isEmptyValue(false)).toBe(false)
  })
})
