import type { DefinitionVersion, FormDefinition, FormField } from '@medaffairs/plugin-sdk'
import { getJson } from '$lib/api/client'
import type { DictionaryItem } from '$lib/api/types'
import { deriveForm, type Collection } from '$lib/components/records/fields'
import { tx } from '$lib/i18n/i18n.svelte'
import { api } from './records.service'
import { listAllDepartments } from './departments.service'
import { peopleByIds } from './people.service'

/** Where a form came from: a published definition, or drawn from the collection's fields. */
export interface LoadedForm {
  form: FormDefinition
  source: 'published' | 'derived'
  version?: number
}

function pickVersion(answer: unknown): DefinitionVersion<FormDefinition> | null {
  const list = Array.isArray(answer) ? answer : (answer as { data?: unknown[] })?.data
  const found = (list ? list[0] : answer) as DefinitionVersion<FormDefinition> | undefined
  return found?.body && Array.isArray(found.body.fields) ? found : null
}

/**
 * The collection's published form (`GET /api/definitions?kind=form&key=…&status=published`);
 * without one (or while that endpoint does not exist) a plain form from its fields.
 */
export async function loadForm(collection: Collection): Promise<LoadedForm> {
  const params = new URLSearchParams({ kind: 'form', key: collection.name, status: 'published' })
  try {
    const version = pickVersion(await getJson<unknown>(`/api/definitions?${params}`))
    if (version) return { form: version.body, source: 'published', version: version.version }
  } catch (error) {
    const code = (error as { code?: number }).code
    if (code !== 404 && code !== 405)
      console.warn('definitions: falling back to the collection fields', error)
  }
  return { form: deriveForm(collection), source: 'derived' }
}

export interface Option {
  value: string
  label: string
  parent?: string | null
}

const dictionaryCache = new Map<string, Promise<DictionaryItem[]>>()

/** The enabled items of a dictionary, in order (cached; one request per code). */
export function dictionaryItems(code: string): Promise<DictionaryItem[]> {
  let found = dictionaryCache.get(code)
  if (!found) {
    found = api<DictionaryItem>('dictionary-items')
      .find({ query: { dictionary: code, enabled: true, $sort: { order: 1 }, $limit: 500 } })
      .then((page) => page.data)
    found.catch(() => dictionaryCache.delete(code))
    dictionaryCache.set(code, found)
  }
  return found
}

/** A field's options: its dictionary's items, or its fixed options. */
export async function optionsOf(field: Pick<FormField, 'dictionary' | 'options'>): Promise<Option[]> {
  if (field.dictionary) {
    const items = await dictionaryItems(field.dictionary).catch(() => [])
    return items.map((i) => ({ value: i.code, label: tx(i.label, i.code), parent: i.parent }))
  }
  return (field.options ?? []).map((o) => ({ value: o.value, label: tx(o.label, o.value) }))
}

/** Labels by code for the select-like fields of a form (for cells and detail rows). */
export async function optionLabels(fields: FormField[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>()
  await Promise.all(
    fields
      .filter(
        (f) =>
          (f.kind === 'select' || f.kind === 'multiselect' || f.kind === 'cascader') &&
          (f.dictionary || f.options)
      )
      .map(async (f) => out.set(f.name, new Map((await optionsOf(f)).map((o) => [o.value, o.label]))))
  )
  return out
}

let departmentsCache: Promise<Option[]> | null = null

/** Every readable department as an option, indented by depth (cached). */
export function departmentOptions(): Promise<Option[]> {
  departmentsCache ??= listAllDepartments()
    .then((list) =>
      list.map((d) => ({ value: d.id, label: `${'　'.repeat(d.depth ?? 0)}${d.name}`, parent: d.parentId }))
    )
    .catch(() => {
      departmentsCache = null
      return []
    })
  return departmentsCache
}

/** The fields with each sub-table column as `table.column`, the name its cells are formatted by. */
export function withColumns(fields: FormField[]): FormField[] {
  return fields.flatMap((f) => [
    f,
    ...(f.kind === 'subtable' ? (f.fields ?? []).map((c) => ({ ...c, name: `${f.name}.${c.name}` })) : [])
  ])
}

/** A record's values of a field, or of a sub-table column (`members.userId`) across its rows. */
function valuesAt(record: Record<string, unknown>, name: string): unknown[] {
  const [top, column] = name.split('.')
  const value = record[top]
  if (!column) return [value].flat()
  return Array.isArray(value)
    ? value.flatMap((row) => [(row as Record<string, unknown> | null)?.[column]].flat())
    : []
}

/** Names of the users and departments a set of records refers to (sub-table rows too), by id. */
export async function referenceNames(
  form: FormDefinition,
  records: Array<Record<string, unknown>>
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  const fields = withColumns(form.fields)
  const ids = (kind: string) =>
    records.flatMap((r) =>
      fields
        .filter((f) => f.kind === kind)
        .flatMap((f) => valuesAt(r, f.name))
        .filter((v): v is string => typeof v === 'string')
    )
  const userIds = ids('user')
  if (userIds.length) for (const u of await peopleByIds(userIds).catch(() => [])) names.set(u.id, u.name)
  if (ids('department').length) for (const d of await departmentOptions()) names.set(d.value, d.label.trim())
  return names
}
