import type { CollectionDefinition, CollectionField, I18nText, StorageType } from './collection.js'
import type { MaskRule } from './privacy/index.js'

/** The field kinds a hospital's administrator can put on a form. */
export const FIELD_KINDS = [
  'text',
  'textarea',
  'richtext',
  'number',
  'money',
  'date',
  'daterange',
  'year',
  'select',
  'multiselect',
  'cascader',
  'region',
  'user',
  'department',
  'file',
  'images',
  'idnumber',
  'mobile',
  'email',
  'url',
  'boolean',
  'score',
  'computed',
  'subtable'
] as const
export type FieldKind = (typeof FIELD_KINDS)[number]

/** How each kind is stored and compared (drives indexes and the query translator). */
export const STORAGE_OF: Record<FieldKind, StorageType> = {
  text: 'string',
  textarea: 'string',
  richtext: 'string',
  number: 'number',
  money: 'number',
  date: 'date',
  daterange: 'object',
  year: 'number',
  select: 'string',
  multiselect: 'array',
  cascader: 'array',
  region: 'string',
  user: 'string',
  department: 'string',
  file: 'array',
  images: 'array',
  idnumber: 'string',
  mobile: 'string',
  email: 'string',
  url: 'string',
  boolean: 'boolean',
  score: 'number',
  computed: 'json',
  subtable: 'array'
}

/**
 * A condition on the record being edited, for `visible` and `required`:
 * `{ field: 'level', op: 'in', value: ['1', '2'] }`, combined with `all` / `any`.
 */
export type Condition =
  | {
      field: string
      op: 'eq' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'empty' | 'filled'
      value?: unknown
    }
  | { all: Condition[] }
  | { any: Condition[] }

/** A computed field's rule; computed on the server on every write. */
export type Formula =
  | { kind: 'yearsSince'; field: string; minus?: string[] }
  | { kind: 'sum'; fields: string[] }
  | { kind: 'count'; field: string }

export interface FormField {
  /** Letters, digits, underscores; unique within the form. */
  name: string
  kind: FieldKind
  label: I18nText
  help?: I18nText
  placeholder?: I18nText
  required?: boolean | Condition
  visible?: Condition
  default?: unknown
  /** select / multiselect / cascader: a dictionary code (options from `dictionary_items`). */
  dictionary?: string
  /** Fixed options when there is no dictionary. */
  options?: Array<{ value: string; label: I18nText }>
  min?: number
  max?: number
  minLength?: number
  maxLength?: number
  /** A checked format for text kinds (check digits, not only shape). */
  format?: 'issn' | 'cn_number'
  /** A regular expression the value must match (text kinds). */
  pattern?: string
  patternMessage?: I18nText
  /** Digits after the decimal point (number, money; money defaults to 2). */
  precision?: number
  /** Score: the highest score; images/file: how many at most. */
  maxItems?: number
  formula?: Formula
  /** Sub-table: the columns of each row. */
  fields?: FormField[]
  filterable?: boolean
  sortable?: boolean
  unique?: boolean
  /** Stored encrypted (ID numbers, phones, family details). */
  sensitive?: boolean
  /** Shown masked to readers without the unmask right. */
  mask?: MaskRule
  /** Added by the hospital (not shipped by the plugin). */
  custom?: boolean
}

export interface FormSection {
  title?: I18nText
  /** Columns on a PC; a phone always shows one. */
  columns?: 1 | 2 | 3 | 4
  fields: string[]
  /** Sections with the same tab are shown together under that tab. */
  tab?: I18nText
}

/** A form: its fields and how they are laid out. A collection has one published form at a time. */
export interface FormDefinition {
  collection: string
  label: I18nText
  fields: FormField[]
  layout: FormSection[]
  /** List defaults: columns, sort, page size. */
  list?: FormListSettings
}

/** How a collection's list looks by default (the administrator's list-view designer). */
export interface FormListSettings {
  columns: string[]
  sort?: Record<string, 1 | -1>
  pageSize?: number
  /** Column widths in pixels, by field name. */
  widths?: Record<string, number>
  /** The shared saved view a list opens with when its address names none. */
  view?: string
}

export type DefinitionKind = 'form' | 'flow' | 'dictionary' | 'dashboard'

/** One version of a stored definition (draft → published → version N). */
export interface DefinitionVersion<T = unknown> {
  kind: DefinitionKind
  key: string
  version: number
  status: 'draft' | 'published' | 'superseded'
  body: T
  author: string | null
  comment: string | null
  createdAt: string
  publishedAt: string | null
}

const ITEMS: Partial<Record<FieldKind, 'string'>> = {
  multiselect: 'string',
  cascader: 'string',
  file: 'string',
  images: 'string'
}

/**
 * How a form field is stored. Every formula yields a number, so a computed field is stored as
 * one (not as STORAGE_OF's `json`): that lets 工龄 be filtered and sorted through an index.
 */
export function storageOf(field: Pick<FormField, 'kind'>): StorageType {
  return field.kind === 'computed' ? 'number' : STORAGE_OF[field.kind]
}

function fieldFromForm(f: FormField): CollectionField {
  // Sub-tables are arrays of row objects: an index over them would index every column.
  const indexed = f.kind !== 'subtable'
  return {
    name: f.name,
    type: storageOf(f),
    ...(ITEMS[f.kind] ? { items: ITEMS[f.kind] } : {}),
    ...(indexed && f.filterable ? { filterable: true } : {}),
    ...(indexed && f.sortable ? { sortable: true } : {}),
    ...(indexed && f.unique ? { unique: true } : {}),
    ...(f.required === true ? { required: true } : {}),
    ...(f.sensitive ? { sensitive: true } : {}),
    label: f.label
  }
}

/** A filterable date range is searched by its ends: `period.start` / `period.end` get date indexes. */
function rangeEnds(f: FormField): CollectionField[] {
  if (f.kind !== 'daterange' || !(f.filterable || f.sortable)) return []
  const flags = { ...(f.filterable ? { filterable: true } : {}), ...(f.sortable ? { sortable: true } : {}) }
  return [
    { name: `${f.name}.start`, type: 'date', ...flags },
    { name: `${f.name}.end`, type: 'date', ...flags }
  ]
}

/**
 * A plugin's field keeps its declared type (the plugin's code relies on it); the form can add
 * index flags but never remove those the plugin asked for.
 */
function mergeField(base: CollectionField, own: CollectionField): CollectionField {
  const out: CollectionField = { ...base }
  for (const flag of ['filterable', 'sortable', 'unique', 'sensitive'] as const)
    if (own[flag]) out[flag] = true
  out.label ??= own.label
  return out
}

/**
 * The collection a form asks for: each field's storage type and index flags. `base` is the
 * plugin's declaration (or just its extra settings: subject, default sort…); every form field
 * is added or merged into its fields. Fields the plugin declares but the form lacks stay, since
 * the plugin's code may still write them. Sub-table columns live inside their rows and get no
 * index of their own.
 */
export function collectionFromForm(
  form: FormDefinition,
  base: Partial<CollectionDefinition> = {}
): CollectionDefinition {
  const fields = new Map<string, CollectionField>((base.fields ?? []).map((f) => [f.name, f]))
  for (const f of form.fields) {
    const own = fieldFromForm(f)
    const declared = fields.get(f.name)
    fields.set(f.name, declared ? mergeField(declared, own) : own)
    for (const end of rangeEnds(f)) if (!fields.has(end.name)) fields.set(end.name, end)
  }
  const def: CollectionDefinition = { ...base, name: form.collection, fields: [...fields.values()] }
  def.label ??= form.label
  if (!def.defaultSort && form.list?.sort) def.defaultSort = form.list.sort
  return def
}
