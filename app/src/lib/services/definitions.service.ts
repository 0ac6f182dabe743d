import type { DefinitionVersion, FormDefinition } from '@medaffairs/plugin-sdk'
import { api } from './records.service'

/** A stored version of a form as `definitions` returns it (`form:<key>:<n>` or `form:<key>:draft`). */
export interface FormVersion extends DefinitionVersion<FormDefinition> {
  id: string
  baseVersion: number | null
}

/** One form in the admin list: its published version and open draft. */
export interface FormSummary {
  key: string
  label: FormDefinition['label']
  published: FormVersion | null
  draft: FormVersion | null
  /** Fields the hospital added (自定义属性). */
  customFields: number
}

export interface FieldChange {
  field: string
  changes: Record<string, unknown>
}

export interface FormDiffAnswer {
  from: string
  to: string
  fields: { added: string[]; removed: string[]; changed: FieldChange[]; reordered: boolean }
  layout: Array<{
    section: string
    change: string
    fieldsAdded?: string[]
    fieldsRemoved?: string[]
    reordered?: boolean
  }>
  form: Record<string, [unknown, unknown]>
}

export interface IndexBuild {
  collection: string
  state: string
  [key: string]: unknown
}

export interface PublishAnswer {
  definition: FormVersion
  backup: string
  indexes?: { state?: string; indexes?: unknown[] }
}

const definitions = () => api<FormVersion>('definitions')

/** Every form's published version and draft (one page of versions per 200; forms are few). */
export async function listForms(): Promise<FormSummary[]> {
  const page = await definitions().find({
    query: { kind: 'form', status: { $in: ['published', 'draft'] }, $limit: 200 }
  })
  const byKey = new Map<string, FormSummary>()
  for (const v of page.data) {
    const entry = byKey.get(v.key) ?? {
      key: v.key,
      label: v.body.label,
      published: null,
      draft: null,
      customFields: 0
    }
    if (v.status === 'draft') entry.draft = v
    else {
      entry.published = v
      entry.label = v.body.label
      entry.customFields = v.body.fields.filter((f) => f.custom).length
    }
    byKey.set(v.key, entry)
  }
  return [...byKey.values()]
}

/** Every version of a form, newest first (the draft first when there is one). */
export async function listVersions(key: string): Promise<FormVersion[]> {
  const page = await definitions().find({ query: { kind: 'form', key, $limit: 200 } })
  return page.data
}

export async function getVersion(
  key: string,
  version: number | 'draft' | 'published'
): Promise<FormVersion | null> {
  try {
    return await definitions().get(`form:${key}:${version}`)
  } catch (error) {
    if ((error as { code?: number }).code === 404) return null
    throw error
  }
}

export function createDraft(key: string, body: FormDefinition): Promise<FormVersion> {
  return definitions().create({ kind: 'form', key, body } as Partial<FormVersion>)
}

export function saveDraft(key: string, body: FormDefinition, comment?: string): Promise<FormVersion> {
  return definitions().patch(`form:${key}:draft`, {
    body,
    ...(comment ? { comment } : {})
  } as Partial<FormVersion>)
}

export function discardDraft(key: string): Promise<FormVersion> {
  return definitions().remove(`form:${key}:draft`)
}

/** Publishes the draft as the next version, with the administrator's comment. */
export function publishDraft(key: string, comment: string): Promise<PublishAnswer> {
  return api<PublishAnswer>('definitions/publish').create({
    kind: 'form',
    key,
    comment
  } as Partial<PublishAnswer>)
}

/** The background index builds of a collection (administrators only: a 403 says the caller is not one). */
export async function indexStatus(collection: string): Promise<IndexBuild[]> {
  const answer: unknown = await api<IndexBuild>('definitions/indexes').find({ query: { collection } })
  return Array.isArray(answer) ? (answer as IndexBuild[]) : ((answer as { data?: IndexBuild[] })?.data ?? [])
}

export function rollbackForm(key: string, version: number, comment: string): Promise<PublishAnswer> {
  return api<PublishAnswer>('definitions/rollback').create({
    kind: 'form',
    key,
    version,
    comment
  } as Partial<PublishAnswer>)
}

export async function diffVersions(
  key: string,
  from: number | 'draft',
  to: number | 'draft'
): Promise<FormDiffAnswer> {
  // A custom find: the answer is the diff itself, not a page.
  const answer: unknown = await api<FormDiffAnswer>('definitions/diff').find({
    query: { kind: 'form', key, from: String(from), to: String(to) }
  })
  return answer as FormDiffAnswer
}
