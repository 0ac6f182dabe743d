import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { applyHeapGrowth } from '../src/heap-policy.js'

describe('heap growth policy', () => {
  it('defaults to 50 % and takes HEAP_GROWING_PERCENT from the environment', () => {
    expect(loadConfig({}, {}).heapGrowingPercent).toBe(50)
    expect(loadConfig({}, { HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent).toBe(100)
    expect(loadConfig({}, { HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0)
  })

  it('refuses a value that is not a whole percentage, naming the setting', () => {
    expect(loadConfig({}, { HEAP_GROWING_PERCENT: 'abc' }).heapGrowingPercent).toBe('abc')
    for (const bad of ['abc', -1, 401, 12.5]) {
      expect(() => applyHeapGrowth(bad), String(bad)).toThrow(
        /HEAP_GROWING_PERCENT must be a whole number from 0/
      )
    }
    expect(() => applyHeapGrowth(undefined)).not.toThrow()
    expect(() => applyHeapGrowth(50)).not.toThrow()
  })
})
