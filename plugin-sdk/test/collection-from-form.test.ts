import { describe, expect, it } from 'vitest'
import { collectionFromForm, defineCollection, storageOf, type FormDefinition } from '../src/index.js'

const zh = (text: string) => ({ 'zh-CN': text })
const form: FormDefinition = {
  collection: 'archive_demo',
  label: zh('示例'),
  fields: [
    { name: 'staffId', kind: 'user', label: zh('人员'), required: true, filterable: true },
    { name: 'title', kind: 'cascader', label: zh('职称'), dictionary: 'title_series', filterable: true },
    { name: 'period', kind: 'daterange', label: zh('期间'), filterable: true },
    {
      name: 'breaks',
      kind: 'subtable',
      label: zh('中断'),
      filterable: true,
      fields: [{ name: 'why', kind: 'text', label: zh('原因') }]
    },
    {
      name: 'seniority',
      kind: 'computed',
      label: zh('工龄'),
      formula: { kind: 'yearsSince', field: 'hired' },
      sortable: true
    },
    { name: 'files', kind: 'file', label: zh('附件') }
  ],
  layout: [],
  list: { columns: ['staffId'], sort: { seniority: -1 } }
}

describe('collectionFromForm (the one used by plugins and by the core on publish)', () => {
  it("derives storage and index flags from a form, with a plugin's extra settings", () => {
    const def = collectionFromForm(form, { subject: { field: 'staffId' } })
    expect(def).toMatchObject({
      name: 'archive_demo',
      label: zh('示例'),
      subject: { field: 'staffId' },
      defaultSort: { seniority: -1 }
    })
    const byName = new Map(def.fields.map((f) => [f.name, f]))
    expect(byName.get('staffId')).toMatchObject({ type: 'string', required: true, filterable: true })
    expect(byName.get('title')).toMatchObject({ type: 'array', items: 'string', filterable: true })
    expect(byName.get('files')).toMatchObject({ type: 'array', items: 'string' })
    // Computed values are numbers, so they can be sorted through an index.
    expect(byName.get('seniority')).toMatchObject({ type: 'number', sortable: true })
    expect(storageOf({ kind: 'computed' })).toBe('number')
    // Sub-tables get no index; a filterable date range is indexed by its ends.
    expect(byName.get('breaks')?.filterable).toBeUndefined()
    expect(byName.get('period.start')).toMatchObject({ type: 'date', filterable: true })
    expect(byName.get('period.end')).toMatchObject({ type: 'date', filterable: true })
  })

  it('merges into a declared collection: declared types and flags win, undeclared fields are added', () => {
    const base = defineCollection({
      name: 'archive_demo',
      label: zh('声明'),
      fields: [
        { name: 'staffId', type: 'string', sortable: true },
        { name: 'internal', type: 'json' }
      ],
      defaultSort: { createdAt: -1 }
    })
    const def = collectionFromForm(form, base)
    const byName = new Map(def.fields.map((f) => [f.name, f]))
    expect(byName.get('staffId')).toMatchObject({ type: 'string', sortable: true, filterable: true })
    expect(byName.get('internal')).toEqual({ name: 'internal', type: 'json' })
    expect(def.label).toEqual(zh('声明'))
    expect(def.defaultSort).toEqual({ createdAt: -1 })
    expect(byName.has('seniority')).toBe(true)
  })
})
