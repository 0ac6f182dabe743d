import type { FormField } from '@medaffairs/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { fromGroup, parseValue, toGroup } from './condition-model'

const zh = (text: string) => ({ 'zh-CN': text })
const fields: FormField[] = [
  { name: 'level', kind: 'select', label: zh('级别'), options: [{ value: '1', label: zh('一') }] },
  { name: 'hours', kind: 'number', label: zh('学时') },
  { name: 'active', kind: 'boolean', label: zh('在职') }
]

describe('condition editing', () => {
  it('reads a single rule, a group, and refuses nested groups', () => {
    expect(toGroup(undefined)).toEqual({ mode: 'all', rules: [] })
    expect(toGroup({ field: 'level', op: 'in', value: ['1', '2'] })).toEqual({
      mode: 'all',
      rules: [{ field: 'level', op: 'in', text: '1, 2' }]
    })
    expect(
      toGroup({
        any: [
          { field: 'hours', op: 'gt', value: 3 },
          { field: 'active', op: 'filled' }
        ]
      })
    ).toEqual({
      mode: 'any',
      rules: [
        { field: 'hours', op: 'gt', text: '3' },
        { field: 'active', op: 'filled', text: '' }
      ]
    })
    expect(toGroup({ all: [{ any: [{ field: 'hours', op: 'gt', value: 1 }] }] })).toBeNull()
  })

  it("types values by the field's kind", () => {
    expect(parseValue(fields[1], 'gte', ' 12 ')).toBe(12)
    expect(parseValue(fields[2], 'eq', 'true')).toBe(true)
    expect(parseValue(fields[0], 'in', '1，2, 3')).toEqual(['1', '2', '3'])
    expect(parseValue(fields[1], 'eq', 'abc')).toBe('abc')
  })

  it('writes one rule bare, several as all/any, none as undefined', () => {
    expect(fromGroup({ mode: 'all', rules: [{ field: 'level', op: 'eq', text: '1' }] }, fields)).toEqual({
      field: 'level',
      op: 'eq',
      value: '1'
    })
    expect(fromGroup({ mode: 'any', rules: [{ field: 'level', op: 'eq', text: '1' }] }, fields)).toEqual({
      any: [{ field: 'level', op: 'eq', value: '1' }]
    })
    expect(
      fromGroup(
        {
          mode: 'all',
          rules: [
            { field: 'hours', op: 'gt', text: '2' },
            { field: 'active', op: 'empty', text: 'x' }
          ]
        },
        fields
      )
    ).toEqual({
      all: [
        { field: 'hours', op: 'gt', value: 2 },
        { field: 'active', op: 'empty' }
      ]
    })
    expect(fromGroup({ mode: 'all', rules: [{ field: '', op: 'eq', text: '' }] }, fields)).toBeUndefined()
  })
})
