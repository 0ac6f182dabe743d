import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FormDefinition, FormField } from '@medaffairs/plugin-sdk'
import { BAD_ROW, REQUIRED, schemaReason } from './messages.js'

type Schema = Record<string, unknown>
export interface PathError {
  field: string
  reason: string
}

// ajv-formats is CommonJS; under ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv, formats: string[]) => Ajv
const ajv = addFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: true }), ['date', 'email'])

/** Length limits when the form sets none: enough for real text, not for a megabyte of it. */
const DEFAULT_MAX_LENGTH: Record<string, number> = { text: 1000, textarea: 20_000, richtext: 200_000 }

export function maxScore(f: FormField): number {
  return f.maxItems ?? f.max ?? 100
}

function text(f: FormField): Schema {
  const s: Schema = { type: 'string', maxLength: f.maxLength ?? DEFAULT_MAX_LENGTH[f.kind] }
  if (f.minLength !== undefined) s.minLength = f.minLength
  if (f.pattern && f.kind !== 'richtext') s.pattern = f.pattern
  return s
}

const range = (f: FormField, s: Schema): Schema => ({
  ...s,
  ...(f.min !== undefined ? { minimum: f.min } : {}),
  ...(f.max !== undefined ? { maximum: f.max } : {})
})
const fixed = (f: FormField) => (!f.dictionary && f.options ? { enum: f.options.map((o) => o.value) } : {})
const items = (f: FormField) => (f.maxItems !== undefined ? { maxItems: f.maxItems } : {})
const DATE = { type: 'string', format: 'date' }

/** The JSON Schema of one field's value (null values are removed before checking). */
export function fieldSchema(f: FormField): Schema | undefined {
  switch (f.kind) {
    case 'text':
    case 'textarea':
    case 'richtext':
      return text(f)
    case 'number':
    case 'money':
      return range(f, { type: 'number' })
    case 'score':
      return { type: 'number', minimum: 0, maximum: maxScore(f) }
    case 'year':
      return {
        type: 'integer',
        minimum: Math.max(1900, f.min ?? 1900),
        maximum: Math.min(2100, f.max ?? 2100)
      }
    case 'date':
      return DATE
    case 'daterange':
      return {
        type: 'object',
        required: ['start'],
        additionalProperties: false,
        properties: { start: DATE, end: DATE }
      }
    case 'select':
      return { type: 'string', minLength: 1, maxLength: 64, ...fixed(f) }
    case 'multiselect':
      return {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', minLength: 1, ...fixed(f) },
        ...items(f)
      }
    case 'cascader':
      return {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: { type: 'string', minLength: 1, maxLength: 64 }
      }
    case 'region':
      return { type: 'string', pattern: '^\\d{6}$' }
    case 'user':
    case 'department':
      return { type: 'string', minLength: 1, maxLength: 256 }
    case 'file':
    case 'images':
      return {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', minLength: 1, maxLength: 256 },
        ...items(f)
      }
    case 'idnumber':
      return { type: 'string', maxLength: 64 }
    case 'mobile':
      return { type: 'string', pattern: '^1[3-9]\\d{9}$' }
    case 'email':
      return { type: 'string', format: 'email', maxLength: 254 }
    case 'url':
      return { type: 'string', maxLength: 2000 }
    case 'boolean':
      return { type: 'boolean' }
    case 'subtable':
      return { type: 'array', ...items(f), items: { type: 'object', properties: properties(f.fields ?? []) } }
    default:
      return undefined // computed: the server computes it
  }
}

function properties(fields: FormField[]): Record<string, Schema> {
  const out: Record<string, Schema> = {}
  for (const f of fields) {
    const s = fieldSchema(f)
    if (s) out[f.name] = s
  }
  return out
}

/**
 * The JSON Schema of a form's values (published for integrations; used for the structural
 * checks). Required-ness and visibility depend on the record, so they are checked in code.
 */
export function formJsonSchema(form: FormDefinition): Schema {
  return { type: 'object', properties: properties(form.fields) }
}

export function compileFormSchema(form: FormDefinition): ValidateFunction {
  return ajv.compile(formJsonSchema(form))
}

/** The form field an error path points into (a sub-table column for `family/2/relation`). */
function fieldAt(form: FormDefinition, segments: string[]): { field: FormField; depth: number } | undefined {
  const top = form.fields.find((f) => f.name === segments[0])
  if (!top) return undefined
  if (top.kind === 'subtable' && segments.length >= 3) {
    const column = top.fields?.find((c) => c.name === segments[2])
    return column ? { field: column, depth: 3 } : { field: top, depth: 1 }
  }
  return { field: top, depth: 1 }
}

/** ajv errors as `{ field: 'family.2.relation', reason }`, the first one per path. */
export function mapSchemaErrors(
  form: FormDefinition,
  errors: ErrorObject[] | null | undefined,
  prefix = ''
): PathError[] {
  const out = new Map<string, string>()
  for (const e of errors ?? []) {
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    if (e.keyword === 'required') segments.push(String(e.params.missingProperty))
    if (e.keyword === 'additionalProperties') segments.push(String(e.params.additionalProperty))
    const at = fieldAt(form, segments)
    if (!at) continue
    // Inside a date range (start/end) the message is a date's.
    const field =
      at.field.kind === 'daterange' && segments.length > at.depth && e.keyword !== 'additionalProperties'
        ? { ...at.field, kind: 'date' as const }
        : at.field
    const path = prefix + segments.join('.')
    const row = at.field.kind === 'subtable' && segments.length === 2
    const reason =
      e.keyword === 'required' ? REQUIRED : row ? BAD_ROW : schemaReason(field, e.keyword, e.params)
    if (!out.has(path)) out.set(path, reason)
  }
  return [...out].map(([field, reason]) => ({ field, reason }))
}
