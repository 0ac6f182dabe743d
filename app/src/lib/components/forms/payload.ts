import type { FormDefinition, FormField } from '@medaffairs/plugin-sdk'
import { isEmptyValue, isVisible, type Values } from './condition'
import { READ_ONLY_KINDS } from './validate'

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** Trims text and numbers typed as text in sub-table rows the same way as top-level fields. */
function clean(field: FormField, value: unknown): unknown {
  if (typeof value === 'string' && field.kind !== 'richtext' && field.kind !== 'textarea') return value.trim()
  if (field.kind === 'subtable' && Array.isArray(value)) {
    return value.map((row) => {
      const out: Values = {}
      for (const col of field.fields ?? []) {
        if (READ_ONLY_KINDS.has(col.kind)) continue
        const v = clean(col, (row as Values)?.[col.name])
        if (!isEmptyValue(v)) out[col.name] = v
      }
      return out
    })
  }
  return value
}

/**
 * What to send: the visible, writable fields. A new record leaves empty fields out; an edit
 * sends only what changed (a cleared field as null), so untouched and masked values stay.
 */
export function formPayload(form: FormDefinition, values: Values, original?: Values): Values {
  const out: Values = {}
  for (const field of form.fields) {
    if (READ_ONLY_KINDS.has(field.kind)) continue
    const value = clean(field, values[field.name])
    if (!original) {
      if (isVisible(field, values) && !isEmptyValue(value)) out[field.name] = value
      continue
    }
    if (!isVisible(field, values)) continue
    const next = isEmptyValue(value) ? null : value
    if (!same(next, isEmptyValue(original[field.name]) ? null : original[field.name])) out[field.name] = next
  }
  return out
}

/** The starting values of a form: the record's, else each field's default. */
export function initialValues(form: FormDefinition, record?: Values | null): Values {
  const out: Values = {}
  for (const field of form.fields) {
    const v = record ? record[field.name] : field.default
    out[field.name] =
      v === undefined
        ? field.kind === 'subtable' || field.kind === 'multiselect'
          ? []
          : null
        : structuredClone(v)
  }
  return out
}
