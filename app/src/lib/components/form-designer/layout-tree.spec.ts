import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { describe, expect, it } from 'vitest'
import {
  addSection,
  canMoveField,
  deleteField,
  deleteSection,
  freeName,
  insertField,
  moveField,
  moveFieldTo,
  moveSection,
  newField,
  placeOf,
  updateField,
  updateSection
} from './layout-tree'

const zh = (text: string) => ({ 'zh-CN': text })
const form = (): FormDefinition => ({
  collection: 'demo',
  label: zh('示例'),
  fields: ['a', 'b', 'c', 'd'].map((name) => ({ name, kind: 'text' as const, label: zh(name) })),
  layout: [
    { title: zh('一'), columns: 2, fields: ['a', 'b'] },
    { title: zh('二'), columns: 1, fields: ['c', 'd'] }
  ],
  list: { columns: ['a', 'c'], sort: { c: 1 }, widths: { c: 120 } }
})
const names = (f: FormDefinition) => f.layout.map((s) => s.fields.join(''))

describe('layout tree edits', () => {
  it('inserts a new field at the end of the last section, or at a place', () => {
    const f = form()
    const field = newField('select', freeName(f), zh('新'))
    expect(field).toMatchObject({
      name: 'field1',
      custom: true,
      options: [expect.objectContaining({ value: '1' })]
    })
    expect(names(insertField(f, field))).toEqual(['ab', 'cdfield1'])
    expect(names(insertField(f, field, { section: 0, index: 1 }))).toEqual(['afield1b', 'cd'])
    expect(insertField(f, field).fields.at(-1)).toBe(field)
    expect(f.fields).toHaveLength(4)
    expect(freeName(insertField(f, field))).toBe('field2')
  })

  it('gives a form without sections its first section', () => {
    const empty = { ...form(), layout: [] }
    expect(insertField(empty, newField('text', 'x', zh('x'))).layout).toEqual([{ columns: 2, fields: ['x'] }])
  })

  it('moves a field one step, crossing into the neighbouring section at an edge', () => {
    const f = form()
    expect(names(moveField(f, 'a', 1))).toEqual(['ba', 'cd'])
    expect(names(moveField(f, 'b', 1))).toEqual(['a', 'bcd'])
    expect(names(moveField(f, 'c', -1))).toEqual(['abc', 'd'])
    expect(names(moveField(f, 'd', -1))).toEqual(['ab', 'dc'])
    expect(moveField(f, 'a', -1)).toBe(f)
    expect(moveField(f, 'd', 1)).toBe(f)
    expect(canMoveField(f, 'a', -1)).toBe(false)
    expect(canMoveField(f, 'a', 1)).toBe(true)
    expect(names(f)).toEqual(['ab', 'cd'])
  })

  it('drops a field at a place, counting the index before the move', () => {
    const f = form()
    expect(names(moveFieldTo(f, 'a', { section: 1, index: 1 }))).toEqual(['b', 'cad'])
    expect(names(moveFieldTo(f, 'a', { section: 0, index: 2 }))).toEqual(['ba', 'cd'])
    expect(names(moveFieldTo(f, 'd', { section: 0, index: 0 }))).toEqual(['dab', 'c'])
    expect(names(moveFieldTo(f, 'd', { section: 5, index: 0 }))).toEqual(['ab', 'cd'])
    expect(placeOf(moveFieldTo(f, 'd', { section: 0, index: 99 }), 'd')).toEqual({ section: 0, index: 2 })
  })

  it('deletes a field from fields, layout, list columns, sort and widths', () => {
    const f = deleteField(form(), 'c')
    expect(f.fields.map((x) => x.name)).toEqual(['a', 'b', 'd'])
    expect(names(f)).toEqual(['ab', 'd'])
    expect(f.list).toEqual({ columns: ['a'], sort: {}, widths: {} })
  })

  it("adds, moves, updates and deletes sections; a deleted section's fields are kept", () => {
    let f = addSection(form(), { title: zh('三'), tab: zh('其他') })
    expect(f.layout[2]).toEqual({ columns: 2, title: zh('三'), tab: zh('其他'), fields: [] })
    f = moveSection(f, 2, -1)
    expect(f.layout.map((s) => s.title?.['zh-CN'])).toEqual(['一', '三', '二'])
    expect(moveSection(f, 0, -1)).toBe(f)
    f = updateSection(f, 1, { columns: 4, tab: undefined })
    expect(f.layout[1]).toEqual({ columns: 4, title: zh('三'), fields: [] })
    expect(names(deleteSection(form(), 1))).toEqual(['abcd'])
    expect(names(deleteSection(form(), 0))).toEqual(['abcd'])
    const one = deleteSection(form(), 1)
    expect(deleteSection(one, 0)).toBe(one)
  })

  it('renames a field in the layout and the list columns', () => {
    const f = form()
    const next = updateField(f, 'c', { ...f.fields[2], name: 'hospitalNo' })
    expect(names(next)).toEqual(['ab', 'hospitalNod'])
    expect(next.list?.columns).toEqual(['a', 'hospitalNo'])
    expect(updateField(f, 'a', { ...f.fields[0], label: zh('甲') }).layout).toBe(f.layout)
  })
})

describe('field property helpers', async () => {
  const { defaultFor, errorsOfField, firstError, withProp } = await import('./field-props')
  it('sets and clears properties', () => {
    const f = { name: 'a', kind: 'text' as const, label: zh('a') }
    expect(withProp(f, 'maxLength', 20)).toEqual({ ...f, maxLength: 20 })
    expect(withProp({ ...f, maxLength: 20 }, 'maxLength', undefined)).toEqual(f)
    expect(withProp({ ...f, filterable: true }, 'filterable', false)).toEqual(f)
    expect(withProp({ ...f, required: true }, 'required', false)).toEqual(f)
  })
  it("types defaults and finds a field's server errors by its index", () => {
    expect(defaultFor('number', '3')).toBe(3)
    expect(defaultFor('boolean', 'true')).toBe(true)
    expect(defaultFor('multiselect', 'a，b')).toEqual(['a', 'b'])
    expect(defaultFor('text', ' ')).toBeUndefined()
    const errors = errorsOfField(
      {
        'fields.2.label': '请填写中文名称',
        'fields.2.options.1': '重复',
        'fields.12.kind': 'x',
        layout: 'y'
      },
      2
    )
    expect(errors).toEqual({ label: '请填写中文名称', 'options.1': '重复' })
    expect(firstError(errors, 'options')).toBe('重复')
    expect(firstError(errors, 'kind')).toBeUndefined()
  })
})

describe('list settings', async () => {
  const { listSettings, moveColumn, widthOf, withList } = await import('./list-settings')
  it("starts from the form's list or the default columns, and drops empty parts", () => {
    const f = form()
    expect(listSettings({ ...f, list: undefined }).columns).toEqual(['a', 'b', 'c', 'd'])
    expect(withList(f, { sort: {}, widths: {}, view: undefined }).list).toEqual({ columns: ['a', 'c'] })
    expect(withList(f, { view: 'v1', pageSize: 50 }).list).toMatchObject({
      view: 'v1',
      pageSize: 50,
      sort: { c: 1 }
    })
  })
  it('moves columns and reads widths', () => {
    expect(moveColumn(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c'])
    expect(moveColumn(['a', 'b'], 'b', 1)).toEqual(['a', 'b'])
    expect(widthOf('120')).toBe(120)
    expect(widthOf('20')).toBeUndefined()
    expect(widthOf('')).toBeUndefined()
  })
})
