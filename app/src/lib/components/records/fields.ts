import type { FieldKind, FormDefinition, FormField, FormSection } from '@medaffairs/plugin-sdk'
import type { CollectionField, CollectionInfo } from '$lib/api/types'
import type { FilterField, FilterKind } from '$lib/components/filters/filter-query'

/** A record as the API returns it: system fields plus the form's fields. */
export type RecordDoc = Record<string, unknown> & { id: string; rev?: number }

/** What `GET /api/collections` says about a collection, with the parts the pages read. */
export type Collection = CollectionInfo & {
  defaultSort?: Record<string, 1 | -1>
  fields: Array<CollectionField & { unique?: boolean }>
}

type I18n = { 'zh-CN': string; 'en-US'?: string }

/** System columns a list may show, filter and sort on. */
export const SYSTEM_COLUMNS = ['createdAt', 'updatedAt'] as const

/** Field kinds kept out of lists and filters (too large or structured to show in a cell). */
const NOT_IN_LISTS: ReadonlySet<FieldKind> = new Set(['richtext', 'subtable', 'file', 'images', 'textarea'])

/** The form kind for a collection field without a published form. */
export function kindOfType(field: CollectionField): FieldKind {
  switch (field.type) {
    case 'number':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'date':
    case 'datetime':
      return 'date'
    case 'string':
      return 'text'
    default:
      // Lists, objects and JSON need a form definition to be edited; shown read-only here.
      return 'computed'
  }
}

const labelOf = (field: CollectionField): I18n => ({
  'zh-CN': field.label?.['zh-CN'] ?? field.name,
  'en-US': field.label?.['en-US'] ?? field.name
})

/**
 * A plain form drawn from the collection's fields, for collections without a published
 * form: one section, two columns, every field in its declared order.
 */
export function deriveForm(collection: Collection): FormDefinition {
  const fields: FormField[] = collection.fields.map((f) => ({
    name: f.name,
    kind: kindOfType(f),
    label: labelOf(f),
    required: !!f.required && kindOfType(f) !== 'computed',
    filterable: f.filterable,
    sortable: f.sortable,
    unique: (f as { unique?: boolean }).unique,
    sensitive: f.sensitive
  }))
  const layout: FormSection[] = [{ columns: 2, fields: fields.map((f) => f.name) }]
  const label: I18n = {
    'zh-CN': collection.label?.['zh-CN'] ?? collection.name,
    'en-US': collection.label?.['en-US']
  }
  return { collection: collection.name, label, fields, layout }
}

/** Every field of a form (sub-table columns excluded), by name. */
export function fieldMap(form: FormDefinition): Map<string, FormField> {
  return new Map(form.fields.map((f) => [f.name, f]))
}

function filterKind(field: FormField): FilterKind | null {
  switch (field.kind) {
    case 'number':
    case 'money':
    case 'score':
    case 'year':
      return 'number'
    case 'date':
      return 'date'
    case 'boolean':
      return 'boolean'
    case 'select':
    case 'multiselect':
    case 'cascader':
      return field.dictionary || field.options ? 'select' : 'text'
    case 'text':
    case 'idnumber':
    case 'mobile':
    case 'email':
    case 'url':
    case 'region':
    case 'user':
    case 'department':
      return 'text'
    default:
      return null
  }
}

/** The fields the filter builder offers: filterable ones (form or collection says so) and the times. */
export function filterFields(
  form: FormDefinition,
  collection: Collection,
  text: (v: I18n) => string,
  systemLabel: (name: string) => string
): FilterField[] {
  const declared = new Map(collection.fields.map((f) => [f.name, f]))
  const out: FilterField[] = []
  for (const f of form.fields) {
    const kind = filterKind(f)
    if (!kind || !(f.filterable ?? declared.get(f.name)?.filterable)) continue
    const options = f.options?.map((o) => ({ value: o.value, label: text(o.label) }))
    out.push({ name: f.name, label: text(f.label), kind, dictionary: f.dictionary, options })
  }
  for (const name of SYSTEM_COLUMNS) out.push({ name, label: systemLabel(name), kind: 'date' })
  return out
}

/** Whether a list may sort on a field. */
export function isSortable(name: string, form: FormDefinition, collection: Collection): boolean {
  if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) return true
  const f = form.fields.find((x) => x.name === name)
  const declared = collection.fields.find((x) => x.name === name)
  return !!(f?.sortable ?? declared?.sortable) && declared?.type !== 'array'
}

/** The columns a list can show (in form order), then the times. */
export function listableColumns(form: FormDefinition): string[] {
  return [...form.fields.filter((f) => !NOT_IN_LISTS.has(f.kind)).map((f) => f.name), ...SYSTEM_COLUMNS]
}

/** The columns shown first: the form's list default, else its first five listable fields. */
export function defaultColumns(form: FormDefinition): string[] {
  const listable = listableColumns(form)
  const chosen = form.list?.columns?.filter((c) => listable.includes(c))
  return chosen?.length
    ? chosen
    : listable.filter((c) => !(SYSTEM_COLUMNS as readonly string[]).includes(c)).slice(0, 5)
}

/** The fields a batch edit may set: simple, single-valued ones (never unique, computed or files). */
export function batchEditable(form: FormDefinition): FormField[] {
  const skip: ReadonlySet<FieldKind> = new Set([
    'computed',
    'subtable',
    'file',
    'images',
    'richtext',
    'idnumber'
  ])
  return form.fields.filter((f) => !skip.has(f.kind) && !f.unique)
}

/** The title of a record: its first filled text-like field of `title`, `name`, `code`, else the id. */
export function recordTitle(record: RecordDoc | null | undefined, text: (v: I18n) => string): string {
  if (!record) return ''
  for (const key of ['title', 'name', 'label', 'code', 'username']) {
    const v = record[key]
    if (typeof v === 'string' && v) return v
    if (v && typeof v === 'object' && 'zh-CN' in (v as object)) return text(v as I18n)
  }
  return record.id
}
