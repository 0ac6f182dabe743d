import { describe, expect, it } from 'vitest'
import { diffRows, diffText } from './diff'

describe('diffRows', () => {
  it('reads field changes of a patch', () => {
    expect(diffRows('patch', { name: ['a', 'b'], order: [1, null] })).toEqual([
      { field: 'name', before: 'a', after: 'b', kind: 'change' },
      { field: 'order', before: 1, after: null, kind: 'change' }
    ])
  })

  it('reads a create snapshot and other details as values', () => {
    expect(diffRows('create', { name: 'x', tags: ['a', 'b', 'c'] })).toEqual([
      { field: 'name', value: 'x', kind: 'value' },
      { field: 'tags', value: ['a', 'b', 'c'], kind: 'value' }
    ])
    expect(diffRows('unmask', { fields: ['mobile'] })[0].kind).toBe('value')
    expect(diffRows('remove', null)).toEqual([])
  })

  it('shows values briefly', () => {
    expect(diffText(null)).toBe('—')
    expect(diffText('')).toBe('""')
    expect(diffText({ a: 1 })).toBe('{"a":1}')
  })
})
