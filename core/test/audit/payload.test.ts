import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../src/audit/canonical.js'
import { changes } from '../../src/audit/diff.js'

describe('the hashed payload', () => {
  it('writes keys sorted at every level, leaves out undefined, and writes dates as JSON does', () => {
    const at = new Date('2026-11-26T08:00:00.000Z')
    const value = { b: [3, { z: 1, a: null }, 'x'], a: { d: undefined, c: 'é"\\' }, at, n: -0.5, t: true }
    expect(canonicalJson(value)).toBe(
      '{"a":{"c":"é\\"\\\\"},"at":"2026-11-26T08:00:00.000Z","b":[3,{"a":null,"z":1},"x"],"n":-0.5,"t":true}'
    )
    // The same value built in another key order gives the same text; it is valid JSON of the same value.
    const reordered = { t: true, n: -0.5, at, a: { c: 'é"\\' }, b: [3, { a: null, z: 1 }, 'x'] }
    expect(canonicalJson(reordered)).toBe(canonicalJson(value))
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
    expect([canonicalJson(null), canonicalJson(undefined), canonicalJson([]), canonicalJson({})]).toEqual([
      'null',
      'null',
      '[]',
      '{}'
    ])
  })

  it('records a field as changed exactly when its JSON changes', () => {
    const before = {
      id: 'r1',
      rev: 1,
      a: 1,
      b: '1',
      c: null,
      d: [1, { x: 1 }],
      e: { k: 'v' },
      f: 'same',
      g: true
    }
    const after = {
      id: 'r1',
      rev: 2,
      a: 1,
      b: 1,
      c: undefined,
      d: [1, { x: 1 }],
      e: { k: 'w' },
      f: 'same',
      g: false,
      h: 0
    }
    expect(changes(before, after, new Map())).toEqual({
      b: ['1', 1],
      c: [null, null],
      e: [{ k: 'v' }, { k: 'w' }],
      g: [true, false],
      h: [null, 0]
    })
  })
})
