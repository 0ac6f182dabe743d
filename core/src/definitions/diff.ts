import type { FormDefinition, FormField, FormSection } from '@medaffairs/plugin-sdk'
import { canonicalJson } from '../audit/canonical.js'

type Doc = Record<string, any>
export const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b)

export interface FieldsDiff {
  added: string[]
  removed: string[]
  /** Per changed field, each changed property as [before, after]; a sub-table's columns nest. */
  changed: Array<{ field: string; changes: Record<string, unknown> }>
  /** The order of the fields both versions have changed. */
  reordered: boolean
}

export interface LayoutChange {
  section: string
  change: 'added' | 'removed' | 'changed'
  fieldsAdded?: string[]
  fieldsRemoved?: string[]
  reordered?: boolean
  changes?: Record<string, [unknown, unknown]>
}

export interface FormDiff {
  fields: FieldsDiff
  layout: LayoutChange[]
  /** Form-level properties (label, list defaults) as [before, after]. */
  form: Record<string, [unknown, unknown]>
}

export interface PathChange {
  path: string
  before: unknown
  after: unknown
}

function fieldChanges(a: FormField, b: FormField): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const before = (a as Doc)[k]
    const after = (b as Doc)[k]
    if (same(before, after)) continue
    if (k === 'fields' && Array.isArray(before) && Array.isArray(after))
      out.columns = diffFields(before, after)
    else out[k] = [before, after]
  }
  return out
}

export function diffFields(a: FormField[], b: FormField[]): FieldsDiff {
  const before = new Map(a.map((f) => [f.name, f]))
  const after = new Map(b.map((f) => [f.name, f]))
  const changed: FieldsDiff['changed'] = []
  for (const [name, f] of after) {
    const old = before.get(name)
    if (old && !same(old, f)) changed.push({ field: name, changes: fieldChanges(old, f) })
  }
  const common = (list: FormField[], other: Map<string, FormField>) =>
    list.map((f) => f.name).filter((n) => other.has(n))
  return {
    added: b.filter((f) => !before.has(f.name)).map((f) => f.name),
    removed: a.filter((f) => !after.has(f.name)).map((f) => f.name),
    changed,
    reordered: !same(common(a, after), common(b, before))
  }
}

const sectionKey = (s: FormSection, i: number) => s.title?.['zh-CN'] || `#${i + 1}`

function sectionChange(key: string, a: FormSection, b: FormSection): LayoutChange | undefined {
  const fieldsAdded = b.fields.filter((n) => !a.fields.includes(n))
  const fieldsRemoved = a.fields.filter((n) => !b.fields.includes(n))
  const kept = (s: FormSection, o: FormSection) => s.fields.filter((n) => o.fields.includes(n))
  const reordered = !same(kept(a, b), kept(b, a))
  const changes: Record<string, [unknown, unknown]> = {}
  for (const k of ['title', 'columns', 'tab'] as const) if (!same(a[k], b[k])) changes[k] = [a[k], b[k]]
  if (!fieldsAdded.length && !fieldsRemoved.length && !reordered && !Object.keys(changes).length)
    return undefined
  return { section: key, change: 'changed', fieldsAdded, fieldsRemoved, reordered, changes }
}

/** Sections are matched by their zh-CN title (untitled ones by position). */
export function diffLayout(a: FormSection[], b: FormSection[]): LayoutChange[] {
  const before = new Map(a.map((s, i) => [sectionKey(s, i), s]))
  const after = new Map(b.map((s, i) => [sectionKey(s, i), s]))
  const out: LayoutChange[] = []
  for (const [key, s] of before)
    if (!after.has(key)) out.push({ section: key, change: 'removed', fieldsRemoved: s.fields })
  for (const [key, s] of after) {
    const old = before.get(key)
    if (!old) out.push({ section: key, change: 'added', fieldsAdded: s.fields })
    else {
      const c = sectionChange(key, old, s)
      if (c) out.push(c)
    }
  }
  return out
}

export function diffForms(a: FormDefinition, b: FormDefinition): FormDiff {
  const form: FormDiff['form'] = {}
  for (const k of ['collection', 'label', 'list'] as const) if (!same(a[k], b[k])) form[k] = [a[k], b[k]]
  return {
    fields: diffFields(a.fields ?? [], b.fields ?? []),
    layout: diffLayout(a.layout ?? [], b.layout ?? []),
    form
  }
}

/** Any other definition: the changed leaves, by dotted path. */
export function diffJson(a: unknown, b: unknown, path = '', out: PathChange[] = []): PathChange[] {
  if (same(a, b)) return out
  const bothObjects =
    a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)
  if (!bothObjects || out.length > 500) {
    out.push({ path: path || '.', before: a, after: b })
    return out
  }
  for (const k of new Set([...Object.keys(a as Doc), ...Object.keys(b as Doc)])) {
    diffJson((a as Doc)[k], (b as Doc)[k], path ? `${path}.${k}` : k, out)
  }
  return out
}
