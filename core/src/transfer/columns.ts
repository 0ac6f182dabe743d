import { NotFound } from '@feathersjs/errors'
import type { Application } from '@feathersjs/feathers'
import type {
  CollectionDefinition,
  CollectionField,
  CollectionKind,
  Condition,
  FieldKind,
  FormDefinition,
  FormField,
  I18nText
} from '@medaffairs/plugin-sdk'
import type { PluginRegistry } from '../plugins/loader.js'

/** Form kinds, plus what a collection declared without a form can hold. */
export type ColumnKind = FieldKind | 'datetime' | 'json'

/** One field as a spreadsheet column: how it is labelled, converted and checked. */
export interface Column {
  name: string
  label: string
  labelEn?: string
  kind: ColumnKind
  /** Always required (a condition is kept apart: it depends on the row). */
  required: boolean
  requiredWhen?: Condition
  visible?: Condition
  dictionary?: string
  options?: Array<{ value: string; label: I18nText }>
  min?: number
  max?: number
  maxLength?: number
  /** Whether a template offers it and an import reads it. */
  importable: boolean
  /** Whether an export includes it when the caller names no columns. */
  exported: boolean
}

export interface Sheet {
  collection: string
  path: string
  kind: CollectionKind
  label: string
  /** Every field in form order (importable or not). */
  columns: Column[]
  /** Records about a person: the field naming that person. */
  subject?: string
  /** Where the columns came from (the instructions sheet says so). */
  source: 'published' | 'plugin' | 'collection'
}

/**
 * Kinds a spreadsheet cell cannot carry faithfully: computed values are the server's,
 * files and images are uploads, and a sub-table is rows of its own. They are left out of
 * templates and imports (the user completes them on the record's page afterwards) and out
 * of default exports; an export that names a sub-table gets it as JSON text.
 */
const NOT_IMPORTABLE = new Set<ColumnKind>(['computed', 'subtable', 'file', 'images'])
const NOT_EXPORTED = new Set<ColumnKind>(['subtable', 'file', 'images'])

const KIND_OF_STORAGE: Record<CollectionField['type'], ColumnKind> = {
  string: 'text',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  array: 'multiselect',
  object: 'json',
  json: 'json'
}

/** System columns an export may name (labels of the platform, not of a form). */
export const SYSTEM_COLUMNS: Record<string, { zh: string; en: string; kind: ColumnKind }> = {
  id: { zh: '记录编号', en: 'Record id', kind: 'text' },
  ownerId: { zh: '所属人员', en: 'Owner', kind: 'user' },
  deptId: { zh: '所属科室', en: 'Department', kind: 'department' },
  state: { zh: '状态', en: 'State', kind: 'text' },
  createdAt: { zh: '创建时间', en: 'Created', kind: 'datetime' },
  createdBy: { zh: '创建人', en: 'Created by', kind: 'user' },
  updatedAt: { zh: '修改时间', en: 'Updated', kind: 'datetime' },
  updatedBy: { zh: '修改人', en: 'Updated by', kind: 'user' }
}

function fromFormField(f: FormField): Column {
  return {
    name: f.name,
    label: f.label['zh-CN'],
    labelEn: f.label['en-US'],
    kind: f.kind,
    required: f.required === true,
    ...(f.required && typeof f.required === 'object' ? { requiredWhen: f.required } : {}),
    ...(f.visible ? { visible: f.visible } : {}),
    ...(f.dictionary ? { dictionary: f.dictionary } : {}),
    ...(f.options ? { options: f.options } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
    ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
    importable: !NOT_IMPORTABLE.has(f.kind),
    exported: !NOT_EXPORTED.has(f.kind)
  }
}

function fromCollectionField(f: CollectionField): Column {
  const kind = KIND_OF_STORAGE[f.type]
  return {
    name: f.name,
    label: f.label?.['zh-CN'] ?? f.name,
    labelEn: f.label?.['en-US'],
    kind,
    required: f.required === true,
    importable: !f.name.includes('.'),
    exported: true
  }
}

/** A column for a system field (exports only). */
export function systemColumn(name: string): Column | undefined {
  const s = SYSTEM_COLUMNS[name]
  return (
    s && {
      name,
      label: s.zh,
      labelEn: s.en,
      kind: s.kind,
      required: false,
      importable: false,
      exported: false
    }
  )
}

/** The published form (definitions service), else the plugin's shipped form. */
async function formOf(
  app: Application,
  registry: PluginRegistry,
  collection: string
): Promise<{ form: FormDefinition; source: Sheet['source'] } | undefined> {
  if ((app as { services: Record<string, unknown> }).services.definitions) {
    try {
      const found = (await app.service('definitions').get(`form:${collection}:published`)) as {
        body?: FormDefinition
      }
      if (found?.body?.fields) return { form: found.body, source: 'published' }
    } catch (error) {
      if (!(error instanceof NotFound)) throw error
    }
  }
  const shipped = registry.plugins.flatMap((p) => p.forms ?? []).find((f) => f.collection === collection)
  return shipped && { form: shipped, source: 'plugin' }
}

/** How a collection looks as a spreadsheet, or undefined for an unknown collection. */
export async function sheetOf(
  app: Application,
  registry: PluginRegistry,
  collection: unknown
): Promise<Sheet | undefined> {
  if (typeof collection !== 'string') return undefined
  const entry = registry.collections.get(collection)
  if (!entry) return undefined
  const def: CollectionDefinition = entry.def
  const found = await formOf(app, registry, collection)
  const columns = found ? found.form.fields.map(fromFormField) : def.fields.map(fromCollectionField)
  return {
    collection,
    path: entry.path,
    kind: def.kind ?? 'business',
    label: (found?.form.label ?? def.label)?.['zh-CN'] ?? collection,
    columns,
    ...(def.subject ? { subject: def.subject.field } : {}),
    source: found?.source ?? 'collection'
  }
}
