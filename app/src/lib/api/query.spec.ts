import { describe, expect, it } from 'vitest'
import { queryString } from './query'

describe('queryString', () => {
  it('keeps the given order and leaves out empty values', () => {
    expect(queryString({ year: 2026, dept: '', q: 'a b', status: undefined, page: null })).toBe(
      '?year=2026&q=a+b'
    )
  })

  it('is empty when nothing remains', () => {
    expect(queryString({ dept: '' })).toBe('')
  })

  it('keeps zero', () => {
    expect(queryString({ $skip: 0 })).toBe('?%24skip=0')
  })
})
