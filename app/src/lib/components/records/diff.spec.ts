import { describe, expect, it } from 'vitest'
import { diffCell, diffRecords, diffRows, diffText } from './diff'

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

describe('diffCell and diffRecords', () => {
  it('shows a value as the form reads it, and as data where the form gives nothing', () => {
    const shown = (field: string, v: unknown) => (field === 'leaderId' ? `name of ${String(v)}` : undefined)
    expect(diffCell('leaderId', 'u1', shown)).toBe('name of u1')
    expect(diffCell('members', [{ userId: 'u1' }], shown)).toBe('[{"userId":"u1"}]')
    expect(diffCell('leaderId', null, shown)).toBe('—')
    expect(diffCell('name', 'x')).toBe('x')
  })

  it('collects both sides of every entry as records for the name lookup', () => {
    expect(
      diffRecords([
        { action: 'patch', diff: { leaderId: ['u1', 'u2'] } },
        { action: 'create', diff: { name: 'x', deptId: 'd1' } },
        { action: 'remove', diff: {} }
      ])
    ).toEqual([{ leaderId: 'u1' }, { leaderId: 'u2' }, { name: 'x', deptId: 'd1' }])
  })
})
