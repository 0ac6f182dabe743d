import type { FieldKind, FormField } from '@medaffairs/plugin-sdk'

/** Which property groups a kind shows in the designer. */
export const TEXT_KINDS: ReadonlySet<FieldKind> = new Set([
  'text',
  'textarea',
  'richtext',
  'idnumber',
  'mobile',
  'email',
  'url'
])
export const RANGE_KINDS: ReadonlySet<FieldKind> = new Set(['number', 'money', 'year', 'score'])
export const CHOICE_KINDS: ReadonlySet<FieldKind> = new Set(['select', 'multiselect', 'cascader'])
export const COUNT_KINDS: ReadonlySet<FieldKind> = new Set(['score', 'file', 'images'])
/** Kinds a sub-table column may have (no nested tables, no formulas). */
export const COLUMN_KINDS: readonly FieldKind[] = [
  'text',
  'textarea',
  'number',
  'money',
  'date',
  'daterange',
  'year',
  'select',
  'multiselect',
  'region',
  'user',
  'department',
  'idnumber',
  'mobile',
  'email',
  'url',
  'boolean',
  'score',
  'file'
]
/** Kinds whose values can be listed, filtered and sorted through an index. */
export const INDEXABLE: ReadonlySet<FieldKind> = new Set([
  'text',
  'number',
  'money',
  'date',
  'daterange',
  'year',
  'select',
  'multiselect',
  'region',
  'user',
  'department',
  'idnumber',
  'mobile',
  'email',
  'url',
  'boolean',
  'score',
  'computed',
  'cascader'
])

/** Sets one property; empty values (blank text, NaN, undefined, false flags) are removed. */
export function withProp<K extends keyof FormField>(
  field: FormField,
  key: K,
  value: FormField[K] | undefined
): FormField {
  const next = { ...field }
  const empty =
    value === undefined ||
    value === '' ||
    (typeof value === 'number' && Number.isNaN(value)) ||
    value === false
  if (empty && key !== 'required') delete next[key]
  else next[key] = value as FormField[K]
  if (key === 'required' && value === false) delete next.required
  return next
}

/** A number input's value: undefined when blank. */
export function numberOrUndefined(text: string): number | undefined {
  const v = text.trim()
  return v === '' || Number.isNaN(Number(v)) ? undefined : Number(v)
}

/** A default value typed for the kind, from what the administrator typed. */
export function defaultFor(kind: FieldKind, text: string): unknown {
  const v = text.trim()
  if (v === '') return undefined
  if (kind === 'boolean') return v === 'true' || v === '是'
  if (RANGE_KINDS.has(kind)) return Number.isNaN(Number(v)) ? v : Number(v)
  if (kind === 'multiselect')
    return v
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean)
  return v
}

/**
 * Server errors for one field, by property path relative to the field: the server names
 * `fields.<index>.<property>` of the body it was sent.
 */
export function errorsOfField(errors: Record<string, string>, index: number): Record<string, string> {
  const prefix = `fields.${index}.`
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(errors)) {
    if (path.startsWith(prefix)) out[path.slice(prefix.length)] = message
    else if (path === `fields.${index}`) out[''] = message
  }
  return out
}

/** The first message whose path starts with `prop` (`options` covers `options.2`). */
export function firstError(errors: Record<string, string>, prop: string): string | undefined {
  const key = Object.keys(errors).find((k) => k === prop || k.startsWith(`${prop}.`))
  return key === undefined ? undefined : errors[key]
}
