import {
  FIELD_KINDS,
  SYSTEM_FIELDS,
  type Condition,
  type FormField,
  type Formula
} from '@medaffairs/plugin-sdk'
import { FieldErrors } from '../identity/field-errors.js'

/** Field names: letters, digits, underscores; a letter first (so no clash with `_formVersion`). */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/
export const FORM_VERSION_FIELD = '_formVersion'
export const RESERVED_FIELDS: ReadonlySet<string> = new Set<string>([...SYSTEM_FIELDS, FORM_VERSION_FIELD])
const DICTIONARY_CODE = /^[a-z][a-z0-9_]{1,63}$/
const OPS = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'empty', 'filled']
const SCALAR_KINDS = new Set([
  'text',
  'number',
  'money',
  'date',
  'year',
  'select',
  'region',
  'user',
  'department',
  'idnumber',
  'mobile',
  'email',
  'url',
  'boolean',
  'score'
])
const NUMERIC_KINDS = new Set(['number', 'money', 'score', 'year', 'computed'])

type Doc = Record<string, any>
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const hasZh = (v: unknown) => isObject(v) && typeof v['zh-CN'] === 'string' && v['zh-CN'].trim() !== ''

interface Scope {
  /** Fields a condition or formula may name: the row's, then the record's. */
  names: Map<string, FormField>
  parent?: Scope
}

function lookup(scope: Scope | undefined, path: string): FormField | undefined {
  if (!scope) return undefined
  const [head, ...rest] = path.split('.')
  const f = scope.names.get(head)
  if (f && !rest.length) return f
  if (f?.kind === 'subtable' && rest.length === 1) return f.fields?.find((c) => c.name === rest[0])
  if (f?.kind === 'daterange' && rest.length === 1 && (rest[0] === 'start' || rest[0] === 'end')) return f
  return lookup(scope.parent, path)
}

function checkCondition(errs: FieldErrors, path: string, c: unknown, scope: Scope, depth = 0): void {
  if (!isObject(c) || depth > 8) return void errs.add(path, '条件格式不正确', 'invalid condition')
  const group = (c.all ?? c.any) as unknown
  if (c.all !== undefined || c.any !== undefined) {
    if (!Array.isArray(group) || !group.length)
      return void errs.add(path, '条件组不能为空', 'a condition group needs conditions')
    group.forEach((g, i) =>
      checkCondition(errs, `${path}.${c.all ? 'all' : 'any'}.${i}`, g, scope, depth + 1)
    )
    return
  }
  const cond = c as Extract<Condition, { field: string }>
  if (typeof cond.field !== 'string' || !lookup(scope, cond.field))
    errs.add(`${path}.field`, '条件引用了不存在的字段', 'the condition names an unknown field')
  if (!OPS.includes(cond.op)) errs.add(`${path}.op`, '不支持的条件运算符', 'unknown condition operator')
  if ((cond.op === 'in' || cond.op === 'nin') && !Array.isArray(cond.value))
    errs.add(`${path}.value`, '应为数组', 'must be a list')
}

function checkFormula(errs: FieldErrors, path: string, f: Formula | undefined, scope: Scope): void {
  if (!isObject(f)) return void errs.add(path, '计算字段需要公式', 'a computed field needs a formula')
  const refs = (names: unknown, numeric: boolean) => {
    if (!Array.isArray(names)) return void errs.add(path, '公式字段应为数组', 'formula fields must be a list')
    for (const n of names) {
      const target = typeof n === 'string' ? lookup(scope, n) : undefined
      if (!target)
        errs.add(
          path,
          `公式引用了不存在的字段：${String(n)}`,
          `the formula names an unknown field: ${String(n)}`
        )
      else if (numeric && !NUMERIC_KINDS.has(target.kind))
        errs.add(path, `公式字段应为数值：${String(n)}`, `not a numeric field: ${String(n)}`)
    }
  }
  if (f.kind === 'yearsSince') {
    refs([f.field], false)
    if (f.minus !== undefined) refs(f.minus, false)
  } else if (f.kind === 'sum') refs(f.fields, true)
  else if (f.kind === 'count') refs([f.field], false)
  else errs.add(`${path}.kind`, '不支持的公式', 'unknown formula kind')
}

function checkNumbers(errs: FieldErrors, path: string, f: FormField): void {
  for (const k of ['min', 'max'] as const)
    if (f[k] !== undefined && !Number.isFinite(f[k])) errs.add(`${path}.${k}`, '应为数字', 'must be a number')
  for (const k of ['minLength', 'maxLength', 'maxItems'] as const) {
    if (f[k] !== undefined && !(Number.isInteger(f[k]) && f[k]! >= 0))
      errs.add(`${path}.${k}`, '应为非负整数', 'must be a non-negative integer')
  }
  if (f.precision !== undefined && !(Number.isInteger(f.precision) && f.precision >= 0 && f.precision <= 6))
    errs.add(`${path}.precision`, '小数位数应为0–6', 'precision must be 0 to 6')
  if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max)
    errs.add(`${path}.min`, '最小值大于最大值', 'min is greater than max')
  if (f.pattern !== undefined) {
    try {
      new RegExp(String(f.pattern), 'u')
    } catch {
      errs.add(`${path}.pattern`, '正则表达式无效', 'invalid regular expression')
    }
  }
}

function checkOptions(errs: FieldErrors, path: string, f: FormField): void {
  if (f.dictionary !== undefined && (typeof f.dictionary !== 'string' || !DICTIONARY_CODE.test(f.dictionary)))
    errs.add(`${path}.dictionary`, '字典编码格式不正确', 'invalid dictionary code')
  if (f.options !== undefined) {
    const values = new Set<string>()
    if (!Array.isArray(f.options))
      return void errs.add(`${path}.options`, '应为选项列表', 'must be a list of options')
    f.options.forEach((o, i) => {
      if (!isObject(o) || typeof o.value !== 'string' || !o.value || values.has(o.value) || !hasZh(o.label))
        errs.add(
          `${path}.options.${i}`,
          '选项需要唯一的值和中文名称',
          'an option needs a unique value and a zh-CN label'
        )
      else values.add(o.value)
    })
  }
  const needs = f.kind === 'cascader' ? f.dictionary : (f.dictionary ?? f.options)
  if ((f.kind === 'select' || f.kind === 'multiselect' || f.kind === 'cascader') && !needs)
    errs.add(`${path}.dictionary`, '请指定字典或选项', 'name a dictionary or give options')
}

function checkField(errs: FieldErrors, path: string, f: FormField, scope: Scope, nested: boolean): void {
  if (!FIELD_KINDS.includes(f.kind))
    return void errs.add(`${path}.kind`, '不支持的字段类型', 'unknown field kind')
  if (!hasZh(f.label)) errs.add(`${path}.label`, '请填写中文名称', 'a zh-CN label is required')
  if (nested && (f.kind === 'subtable' || f.kind === 'computed'))
    errs.add(
      `${path}.kind`,
      '子表中不能再有子表或计算字段',
      'no sub-tables or computed fields inside a sub-table'
    )
  // Index flags of sub-table columns are ignored (rows are not indexed), not refused.
  if (f.unique && !nested && !SCALAR_KINDS.has(f.kind))
    errs.add(`${path}.unique`, '该类型不能设为唯一', 'this kind cannot be unique')
  checkNumbers(errs, path, f)
  checkOptions(errs, path, f)
  if (isObject(f.required)) checkCondition(errs, `${path}.required`, f.required, scope)
  else if (f.required !== undefined && typeof f.required !== 'boolean')
    errs.add(`${path}.required`, '应为布尔值或条件', 'must be a boolean or a condition')
  if (f.visible !== undefined) checkCondition(errs, `${path}.visible`, f.visible, scope)
  if (f.kind === 'computed') checkFormula(errs, `${path}.formula`, f.formula, scope)
  if (f.kind === 'subtable') {
    if (!Array.isArray(f.fields) || !f.fields.length)
      return void errs.add(`${path}.fields`, '子表需要至少一列', 'a sub-table needs columns')
    checkFields(errs, `${path}.fields`, f.fields, scope)
  }
}

function checkFields(errs: FieldErrors, path: string, fields: unknown, parent?: Scope): void {
  if (!Array.isArray(fields)) return void errs.add(path, '应为字段列表', 'must be a list of fields')
  const names = new Map<string, FormField>()
  for (const f of fields) if (isObject(f) && typeof f.name === 'string') names.set(f.name, f as FormField)
  const scope: Scope = { names, parent }
  const seen = new Set<string>()
  fields.forEach((f: Doc, i) => {
    const at = `${path}.${i}`
    if (!isObject(f)) return void errs.add(at, '应为字段定义', 'must be a field definition')
    if (typeof f.name !== 'string' || !FIELD_NAME.test(f.name))
      errs.add(
        `${at}.name`,
        '字段名只能用字母、数字、下划线，以字母开头',
        'letters, digits and _ only, starting with a letter'
      )
    else if (parent ? f.name === 'id' : RESERVED_FIELDS.has(f.name))
      errs.add(`${at}.name`, '字段名为系统保留', 'the name is reserved')
    else if (seen.has(f.name)) errs.add(`${at}.name`, '字段名重复', 'duplicate field name')
    seen.add(f.name)
    checkField(errs, at, f as FormField, scope, Boolean(parent))
  })
}

function checkLayout(errs: FieldErrors, body: Doc): void {
  if (!Array.isArray(body.layout))
    return void errs.add('layout', '应为分组列表', 'must be a list of sections')
  const names = new Set((Array.isArray(body.fields) ? body.fields : []).map((f: Doc) => f?.name))
  const placed = new Set<string>()
  body.layout.forEach((s: Doc, i: number) => {
    if (!isObject(s) || !Array.isArray(s.fields))
      return void errs.add(`layout.${i}`, '分组需要字段列表', 'a section needs a list of fields')
    if (s.columns !== undefined && ![1, 2, 3, 4].includes(s.columns))
      errs.add(`layout.${i}.columns`, '列数应为1–4', 'columns must be 1 to 4')
    s.fields.forEach((n: unknown, j: number) => {
      if (typeof n !== 'string' || !names.has(n))
        errs.add(`layout.${i}.fields.${j}`, '引用了不存在的字段', 'names an unknown field')
      else if (placed.has(n)) errs.add(`layout.${i}.fields.${j}`, '字段重复出现', 'the field is placed twice')
      else placed.add(n)
    })
  })
  const list = body.list
  if (list === undefined) return
  const known = (n: unknown) => typeof n === 'string' && (names.has(n) || RESERVED_FIELDS.has(n))
  if (!isObject(list) || !Array.isArray(list.columns) || !list.columns.every(known))
    errs.add('list.columns', '列表列引用了不存在的字段', 'list columns name unknown fields')
  else if (list.sort !== undefined && (!isObject(list.sort) || !Object.keys(list.sort).every(known)))
    errs.add('list.sort', '排序引用了不存在的字段', 'the sort names unknown fields')
  checkListExtras(errs, list)
}

/** Column widths (40–800 px, for known columns) and the default view's id. */
function checkListExtras(errs: FieldErrors, list: Doc): void {
  if (
    list.pageSize !== undefined &&
    !(Number.isInteger(list.pageSize) && list.pageSize >= 5 && list.pageSize <= 200)
  )
    errs.add('list.pageSize', '每页条数应为5–200', 'page size must be 5 to 200')
  if (list.widths !== undefined) {
    const widths: unknown = list.widths
    if (!isObject(widths)) errs.add('list.widths', '应为列宽对象', 'must map columns to widths')
    else
      for (const [k, w] of Object.entries(widths))
        if (!Number.isInteger(w) || (w as number) < 40 || (w as number) > 800)
          errs.add(`list.widths.${k}`, '列宽应为40–800像素', 'a width must be 40 to 800 px')
  }
  if (
    list.view !== undefined &&
    list.view !== null &&
    (typeof list.view !== 'string' || !list.view || list.view.length > 64)
  )
    errs.add('list.view', '默认视图不正确', 'invalid default view')
}

/** Checks the shape of a form body; every problem is reported with its path in the body. */
export function checkFormBody(body: unknown, key: string): FieldErrors {
  const errs = new FieldErrors()
  if (!isObject(body)) return errs.add('body', '表单定义应为对象', 'the form must be an object')
  if (body.collection !== key) errs.add('collection', `应为 ${key}`, `must be ${key}`)
  if (!hasZh(body.label)) errs.add('label', '请填写中文名称', 'a zh-CN label is required')
  if (!Array.isArray(body.fields) || !body.fields.length)
    errs.add('fields', '表单至少需要一个字段', 'a form needs fields')
  else checkFields(errs, 'fields', body.fields)
  checkLayout(errs, body)
  return errs
}
