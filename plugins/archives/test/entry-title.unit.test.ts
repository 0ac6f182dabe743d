import { describe, expect, it } from 'vitest'
import { entryTitle } from '../src/entry-title.shared.js'

describe('entryTitle', () => {
  it('takes the first title field that holds text, in the shared order', () => {
    expect(entryTitle({ journal: '中华医学杂志', title: '论文题目' })).toBe('论文题目')
    expect(entryTitle({ title: '', name: '', journal: '中华医学杂志' })).toBe('中华医学杂志')
    expect(entryTitle({ number: 'C-001', employeeNo: 'E-9' })).toBe('C-001')
    expect(entryTitle({ employeeNo: 'E-9' })).toBe('E-9')
  })

  it('skips values that are not text, and says so when nothing is left', () => {
    expect(entryTitle({ title: 3, name: null, item: ['x'] })).toBeUndefined()
    expect(entryTitle({})).toBeUndefined()
  })
})
