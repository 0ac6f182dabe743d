import {
  STORAGE_OF,
  type CollectionDefinition,
  type CollectionField,
  type FieldKind,
  type FormDefinition,
  type FormField,
  type StorageType
} from '@medaffairs/plugin-sdk'

const ITEMS: Partial<Record<FieldKind, 'string'>> = { multiselect: 'string', cascader: 'string', file: 'string', images: 'string' }

/**
 * How a form field is stored. Every formula yields a number, so a computed field is stored as
 * one (not as STORAGE_OF's `json`): that lets 工龄 be filtered and sorted through an index.
 */
export function storageOf(field: FormField): StorageType {
  return field.kind === 'computed' ? 'number' : STORAGE_OF[field.kind]
}

function fieldFromForm(f: FormField): CollectionField {
  const type = storageOf(f)
  // Sub-tables are arrays of row objects: an index over them would index every column.
  const indexed = f.kind !== 'subtable'
  return {
    name: f.name,
    type,
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
function merge(base: CollectionField, own: CollectionField): CollectionField {
  const out: CollectionField = { ...base }
  for (const flag of ['filterable', 'sortable', 'unique', 'sensitive'] as const) if (own[flag]) out[flag] = true
  out.label ??= own.label
  return out
}

/**
 * The collection a published form asks for: the plugin's declaration (`base`) with every
 * form field added or merged in. Fields the plugin declares but the form lacks stay, since
 * the plugin's code may still write them.
 */
export function collectionFromForm(form: FormDefinition, base?: CollectionDefinition): CollectionDefinition {
  const fields = new Map<string, CollectionField>((base?.fields ?? []).map((f) => [f.name, f]))
  for (const f of form.fields) {
    const own = fieldFromForm(f)
    const declared = fields.get(f.name)
    fields.set(f.name, declared ? merge(declared, own) : own)
    for (const end of rangeEnds(f)) if (!fields.has(end.name)) fields.set(end.name, end)
  }
  const def: CollectionDefinition = { ...(base ?? {}), name: form.collection, fields: [...fields.values()] }
  def.label ??= form.label
  if (!def.defaultSort && form.list?.sort) def.defaultSort = form.list.sort
  return def
}
