import type {
  CollectionDefinition,
  CollectionField,
  FormDefinition,
  FormField,
  I18nText
} from '@medaffairs/plugin-sdk'
import type { Json } from './types.js'

/** `dictionary_items` → `DictionaryItems`: component names for a collection. */
export function schemaName(collection: string): string {
  return collection.replace(/(^|[_-])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase())
}

/** zh-CN first (the title a hospital reads), both languages in the description. */
export function labelled(label: I18nText | undefined, help?: I18nText): Json {
  if (!label) return {}
  const both = label['en-US'] ? `${label['zh-CN']} / ${label['en-US']}` : label['zh-CN']
  const extra = help ? `\n\n${help['zh-CN']}${help['en-US'] ? ` / ${help['en-US']}` : ''}` : ''
  return { title: label['zh-CN'], description: both + extra }
}

const nullable = (s: Json, required: boolean | undefined): Json =>
  required || s.type === undefined ? s : { ...s, type: [s.type, 'null'] }

/** A stored field as JSON Schema (the storage type decides). */
export function storageSchema(f: CollectionField): Json {
  const base: Json = {
    string: { type: 'string' },
    number: { type: 'number' },
    boolean: { type: 'boolean' },
    date: { type: 'string', format: 'date' },
    datetime: { type: 'string', format: 'date-time' },
    array: { type: 'array', items: f.items ? { type: f.items } : {} },
    object: { type: 'object' },
    json: {}
  }[f.type]
  return { ...nullable(base, f.required), ...labelled(f.label) }
}

function stringKind(f: FormField): Json {
  const s: Json = { type: 'string' }
  if (f.kind === 'email') s.format = 'email'
  if (f.kind === 'url') s.format = 'uri'
  if (f.kind === 'mobile') s.pattern = '^1\\d{10}$'
  if (f.kind === 'idnumber') s.description = '身份证号等证件号码 (ID number)'
  if (f.kind === 'user' || f.kind === 'department')
    s.description = f.kind === 'user' ? '用户 id (user id)' : '科室 id (department id)'
  if (f.pattern) s.pattern = f.pattern
  if (f.minLength !== undefined) s.minLength = f.minLength
  if (f.maxLength !== undefined) s.maxLength = f.maxLength
  if (f.kind === 'select' && f.options?.length) s.enum = f.options.map((o) => o.value)
  return s
}

/** A form field as JSON Schema: the kind says more than the storage type (formats, options, limits). */
export function formFieldSchema(f: FormField): Json {
  const bounds = (s: Json) => ({
    ...s,
    ...(f.min !== undefined ? { minimum: f.min } : {}),
    ...(f.max !== undefined ? { maximum: f.max } : {})
  })
  let s: Json
  switch (f.kind) {
    case 'number':
    case 'money':
      s = bounds({ type: 'number' })
      break
    case 'score':
      s = bounds({ type: 'number', minimum: 0, ...(f.maxItems !== undefined ? { maximum: f.maxItems } : {}) })
      break
    case 'year':
      s = bounds({ type: 'integer' })
      break
    case 'boolean':
      s = { type: 'boolean' }
      break
    case 'date':
      s = { type: 'string', format: 'date' }
      break
    case 'daterange':
      s = { type: 'object' }
      break
    case 'multiselect':
    case 'cascader':
      s = { type: 'array', items: { type: 'string' } }
      break
    case 'file':
    case 'images':
      s = { type: 'array', items: {}, ...(f.maxItems !== undefined ? { maxItems: f.maxItems } : {}) }
      break
    case 'computed':
      s = { readOnly: true }
      break
    case 'subtable':
      s = { type: 'array', items: objectOf((f.fields ?? []).map((c) => [c.name, formFieldSchema(c)])) }
      break
    default:
      s = stringKind(f)
  }
  const info = labelled(f.label, f.help)
  if (s.description && info.description) info.description = `${info.description}\n\n${s.description}`
  const out: Json = { ...nullable(s, f.required === true), ...info, 'x-kind': f.kind }
  if (f.dictionary) out['x-dictionary'] = f.dictionary
  if (f.sensitive) out['x-sensitive'] = true
  return out
}

/** Builds nested objects from dotted names (`address.city`). */
export function objectOf(entries: Array<[string, Json]>, required: string[] = []): Json {
  const root: Json = { type: 'object', properties: {} }
  for (const [name, schema] of entries) {
    const parts = name.split('.')
    let node = root
    for (const part of parts.slice(0, -1)) {
      node.properties[part] ??= { type: 'object', properties: {} }
      node = node.properties[part]
    }
    node.properties[parts[parts.length - 1]] = schema
  }
  const top = required.filter((r) => !r.includes('.'))
  if (top.length) root.required = top
  return root
}

/** Every field: the definition's, with the published form's description where it has one, plus the form's custom fields. */
export function fieldSchemas(def: CollectionDefinition, form?: FormDefinition): Array<[string, Json]> {
  const fromForm = new Map((form?.fields ?? []).map((f) => [f.name, f]))
  const out: Array<[string, Json]> = def.fields.map((f) => {
    const ff = fromForm.get(f.name)
    return [f.name, ff ? formFieldSchema(f.required ? { ...ff, required: true } : ff) : storageSchema(f)]
  })
  const declared = new Set(def.fields.map((f) => f.name))
  for (const f of form?.fields ?? []) if (!declared.has(f.name)) out.push([f.name, formFieldSchema(f)])
  return out
}

const ID = { type: 'string', description: '记录 id (record id)' }
const REF = (zh: string, en: string) => ({ type: ['string', 'null'], description: `${zh} (${en})` })
const STAMP = (zh: string, en: string) => ({
  type: 'string',
  format: 'date-time',
  readOnly: true,
  description: `${zh} (${en})`
})

/** The columns every record has (see SYSTEM_FIELDS). */
export const SYSTEM_SCHEMAS: Record<string, Json> = {
  id: { ...ID, readOnly: true },
  ownerId: REF('所有者用户 id', 'owner user id'),
  deptId: REF('所属科室 id', 'owning department id'),
  state: REF('状态', 'state'),
  createdAt: STAMP('创建时间', 'created at'),
  createdBy: { ...REF('创建者', 'created by'), readOnly: true },
  updatedAt: STAMP('修改时间', 'updated at'),
  updatedBy: { ...REF('修改者', 'updated by'), readOnly: true },
  rev: {
    type: 'integer',
    minimum: 1,
    description:
      '版本号：修改时带上可防止覆盖他人的修改 (revision; send it back on patch to refuse lost updates)'
  }
}

/** The record, what create/update send, and what patch sends. */
export function recordSchemas(def: CollectionDefinition, form?: FormDefinition): Record<string, Json> {
  const name = schemaName(def.name)
  const fields = fieldSchemas(def, form)
  const required = def.fields.filter((f) => f.required).map((f) => f.name)
  const info = { ...labelled(def.label ?? form?.label) }
  const record = objectOf(
    [...Object.entries(SYSTEM_SCHEMAS), ...fields],
    ['id', 'createdAt', 'updatedAt', 'rev']
  )
  const writable = Object.entries(SYSTEM_SCHEMAS).filter(
    ([k]) => k === 'ownerId' || k === 'deptId' || k === 'state'
  )
  const input = objectOf([...writable, ...fields.filter(([, s]) => !s.readOnly)], required)
  const patch = objectOf([...writable, ['rev', SYSTEM_SCHEMAS.rev], ...fields.filter(([, s]) => !s.readOnly)])
  return {
    [name]: { ...record, ...info },
    [`${name}Input`]: { ...input, ...info },
    [`${name}Patch`]: { ...patch, ...info }
  }
}
