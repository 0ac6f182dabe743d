import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { controlId, orderErrors, validateForm } from './validate'
import { formPayload, initialValues } from './payload'

const t = (key: string, params?: Record<string, string | number>) =>
  params ? `${key}:${Object.values(params).join(',')}` : key
const L = (zh: string) => ({ 'zh-CN': zh })

const form: FormDefinition = {
  collection: 'staff',
  label: L('人员'),
  fields: [
    { name: 'name', kind: 'text', label: L('姓名'), required: true, maxLength: 4 },
    { name: 'married', kind: 'boolean', label: L('已婚') },
    {
      name: 'spouse',
      kind: 'text',
      label: L('配偶'),
      visible: { field: 'married', op: 'eq', value: true },
      required: true
    },
    { name: 'mobile', kind: 'mobile', label: L('手机') },
    { name: 'idno', kind: 'idnumber', label: L('身份证') },
    { name: 'score', kind: 'score', label: L('评分'), max: 10 },
    { name: 'age', kind: 'computed', label: L('年龄') },
    {
      name: 'code',
      kind: 'text',
      label: L('编码'),
      pattern: '^[A-Z]+$',
      patternMessage: { 'zh-CN': '大写字母', 'en-US': 'Capitals' }
    },
    {
      name: 'family',
      kind: 'subtable',
      label: L('家庭'),
      fields: [
        { name: 'relation', kind: 'text', label: L('关系'), required: true },
        { name: 'phone', kind: 'mobile', label: L('电话') }
      ]
    }
  ],
  layout: [
    { fields: ['code', 'name', 'married', 'spouse'] },
    { fields: ['family', 'mobile', 'idno', 'score'] }
  ]
}

describe('validateForm', () => {
  it('checks required fields, live conditions included, and skips hidden ones', () => {
    expect(validateForm(form, { name: '' }, t)).toEqual({ name: 'form.invalid.required' })
    expect(validateForm(form, { name: '张三', married: true }, t)).toEqual({
      spouse: 'form.invalid.required'
    })
    expect(validateForm(form, { name: '张三', married: false, spouse: '' }, t)).toEqual({})
  })

  it('checks formats, lengths, ranges and patterns', () => {
    const errors = validateForm(
      form,
      { name: '欧阳一二三', mobile: '12345', score: 11, code: 'ab', idno: '11010519491231002X' },
      t
    )
    expect(errors.name).toBe('form.invalid.max_length:4')
    expect(errors.mobile).toBe('form.invalid.mobile')
    expect(errors.score).toBe('form.invalid.max:10')
    expect(errors.code).toBe('大写字母')
    expect(errors.idno).toBeUndefined()
    expect(validateForm(form, { name: 'a', idno: '110105194912310021' }, t).idno).toMatch(/校验/)
  })

  it('names sub-table cells by row', () => {
    const errors = validateForm(
      form,
      { name: 'a', family: [{ relation: '父亲' }, { relation: '', phone: '1' }] },
      t
    )
    expect(errors).toEqual({
      'family.1.relation': 'form.invalid.required',
      'family.1.phone': 'form.invalid.mobile'
    })
  })

  it('orders errors as the layout shows the fields', () => {
    expect(
      orderErrors(form, {
        mobile: 'x',
        'family.10.relation': 'x',
        'family.2.relation': 'x',
        name: 'x',
        code: 'x'
      })
    ).toEqual(['code', 'name', 'family.2.relation', 'family.10.relation', 'mobile'])
    expect(controlId('family.2.relation')).toBe('field-family-2-relation')
  })
})

describe('formPayload', () => {
  it('sends the filled, visible, writable fields of a new record', () => {
    expect(
      formPayload(form, {
        name: ' 张三 ',
        married: false,
        spouse: '李四',
        age: 40,
        mobile: '',
        family: [{ relation: '父亲', phone: '' }]
      })
    ).toEqual({ name: '张三', married: false, family: [{ relation: '父亲' }] })
  })

  it('sends only what changed in an edit, a cleared field as null', () => {
    const original = { name: '张三', mobile: '138****5678', code: 'A', family: [] }
    expect(formPayload(form, { ...original, code: '', name: '张三' }, original)).toEqual({ code: null })
    expect(formPayload(form, { ...original, family: [{ relation: '母亲' }] }, original)).toEqual({
      family: [{ relation: '母亲' }]
    })
  })

  it('starts from defaults or the record', () => {
    const withDefault: FormDefinition = {
      ...form,
      fields: [
        { name: 'n', kind: 'number', label: L('n'), default: 3 },
        { name: 'rows', kind: 'subtable', label: L('r'), fields: [] }
      ]
    }
    expect(initialValues(withDefault)).toEqual({ n: 3, rows: [] })
    expect(initialValues(withDefault, { n: 5 })).toEqual({ n: 5, rows: [] })
  })
})
