import { describe, expect, it } from 'vitest'
import { dictionaryField, fixedOptions, formField } from '../src/index.js'

describe('one-line field builders', () => {
  it('build a field with both labels and its options, a dictionary select that lists filter on, and fixed options', () => {
    expect(formField('date', 'hireDate', '入职日期', 'Hire date', { sortable: true })).toEqual({
      name: 'hireDate',
      kind: 'date',
      label: { 'zh-CN': '入职日期', 'en-US': 'Hire date' },
      sortable: true
    })
    expect(dictionaryField('title', 'title', '职称', 'Title', { filterable: false, required: true })).toEqual(
      {
        name: 'title',
        kind: 'select',
        label: { 'zh-CN': '职称', 'en-US': 'Title' },
        dictionary: 'title',
        filterable: false,
        required: true
      }
    )
    expect(fixedOptions(['main', '主要操作者', 'Main operator'])).toEqual([
      { value: 'main', label: { 'zh-CN': '主要操作者', 'en-US': 'Main operator' } }
    ])
  })
})
