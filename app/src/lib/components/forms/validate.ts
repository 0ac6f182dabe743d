import type { FormDefinition, FormField } from '@medaffairs/plugin-sdk'
import { parseIdNumber } from './id-number'
import { isEmptyValue, isRequired, isVisible, type Values } from './condition'

/** Messages by dotted path (`family.2.relation`), as the server's field errors. */
export type Errors = Record<string, string>
type Translate = (key: string, params?: Record<string, string | number>) => string

const MOBILE = /^1[3-9]\d{9}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const URL_RE = /^https?:\/\/[^\s]+$/i

/** Fields that never take input. */
export const READ_ONLY_KINDS: ReadonlySet<string> = new Set(['computed'])

function checkValue(field: FormField, value: unknown, t: Translate, lang: 'zh-CN' | 'en-US'): string | null {
  const text = typeof value === 'string' ? value.trim() : ''
  switch (field.kind) {
    case 'mobile':
      return MOBILE.test(text.replace(/[\s-]/g, '')) ? null : t('form.invalid.mobile')
    case 'email':
      return EMAIL.test(text) ? null : t('form.invalid.email')
    case 'url':
      return URL_RE.test(text) ? null : t('form.invalid.url')
    case 'idnumber': {
      const parsed = parseIdNumber(text)
      return parsed.ok ? null : parsed.reason[lang]
    }
    case 'daterange': {
      const r = (value ?? {}) as { from?: string; to?: string }
      return r.from && r.to && r.from > r.to ? t('form.invalid.range') : null
    }
  }
  if (typeof value === 'number' || ['number', 'money', 'score', 'year'].includes(field.kind)) {
    const n = Number(value)
    if (Number.isNaN(n)) return t('form.invalid.number')
    if (field.min !== undefined && n < field.min) return t('form.invalid.min', { min: field.min })
    const max = field.kind === 'score' ? (field.max ?? field.maxItems) : field.max
    if (max !== undefined && n > max) return t('form.invalid.max', { max })
  }
  if (typeof value === 'string') {
    if (field.minLength !== undefined && text.length < field.minLength)
      return t('form.invalid.min_length', { n: field.minLength })
    if (field.maxLength !== undefined && text.length > field.maxLength)
      return t('form.invalid.max_length', { n: field.maxLength })
    if (field.pattern) {
      let re: RegExp | null = null
      try {
        re = new RegExp(field.pattern)
      } catch {
        re = null
      }
      if (re && !re.test(text))
        return field.patternMessage?.[lang] ?? field.patternMessage?.['zh-CN'] ?? t('form.invalid.pattern')
    }
  }
  if (
    Array.isArray(value) &&
    field.maxItems !== undefined &&
    field.kind !== 'score' &&
    value.length > field.maxItems
  ) {
    return t('form.invalid.max_items', { n: field.maxItems })
  }
  return null
}

function validateFields(
  fields: FormField[],
  values: Values,
  prefix: string,
  parent: Values | undefined,
  t: Translate,
  lang: 'zh-CN' | 'en-US',
  out: Errors
): void {
  for (const field of fields) {
    if (READ_ONLY_KINDS.has(field.kind) || !isVisible(field, values, parent)) continue
    const path = `${prefix}${field.name}`
    const value = values[field.name]
    if (isEmptyValue(value)) {
      if (isRequired(field, values, parent)) out[path] = t('form.invalid.required')
      continue
    }
    if (field.kind === 'subtable' && Array.isArray(value)) {
      value.forEach((row, i) =>
        validateFields(field.fields ?? [], (row ?? {}) as Values, `${path}.${i}.`, values, t, lang, out)
      )
      continue
    }
    const problem = checkValue(field, value, t, lang)
    if (problem) out[path] = problem
  }
}

/** Checks what the form can check before sending: required (live), formats, ranges, ID numbers. */
export function validateForm(
  form: FormDefinition,
  values: Values,
  t: Translate,
  lang: 'zh-CN' | 'en-US' = 'zh-CN'
): Errors {
  const out: Errors = {}
  validateFields(form.fields, values, '', undefined, t, lang, out)
  return out
}

/** The paths of errors in the order the form shows its fields (for focusing the first). */
export function orderErrors(form: FormDefinition, errors: Errors): string[] {
  const order = new Map<string, number>()
  const sections = form.layout.flatMap((s) => s.fields)
  const names = [...sections, ...form.fields.map((f) => f.name).filter((n) => !sections.includes(n))]
  names.forEach((n, i) => order.set(n, i))
  const rank = (path: string) => order.get(path.split('.')[0]) ?? Number.MAX_SAFE_INTEGER
  return Object.keys(errors).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }))
}

/** The element id of a field's control. */
export function controlId(path: string): string {
  return `field-${path.replace(/[^\w-]/g, '-')}`
}
