import type { Permission } from '../identity/acl.js'
import type { MaskRule, ReadScope } from '@medaffairs/plugin-sdk'
import { maskValue } from '@medaffairs/plugin-sdk'
import { SYSTEM_FIELDS } from '@medaffairs/plugin-sdk'

type Doc = Record<string, unknown>
const SYSTEM = new Set<string>(SYSTEM_FIELDS)

function getPath(doc: Doc, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Doc)[k] : undefined), doc)
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.')
  let cur: Doc = doc
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') return
    cur = cur[k] = { ...(cur[k] as Doc) }
  }
  cur[keys[keys.length - 1]] = value
}

/** Keeps the readable fields (system fields are always readable). */
export function pickReadable(doc: Doc, readable: Set<string> | null): Doc {
  if (!readable) return doc
  return Object.fromEntries(Object.entries(doc).filter(([k]) => SYSTEM.has(k) || readable.has(k)))
}

/** Masks fields by rule; returns a copy, the stored record is untouched. */
export function applyMasks(doc: Doc, rules: ReadonlyMap<string, MaskRule>): Doc {
  if (!rules.size) return doc
  const out: Doc = { ...doc }
  for (const [field, rule] of rules) {
    const value = getPath(out, field)
    if (value === undefined || value === null) continue
    // Numbers and lists are masked too: a phone stored as a number must not show in full.
    const masked = Array.isArray(value)
      ? value.map((v) => maskValue(String(v), rule))
      : maskValue(String(value), rule)
    setPath(out, field, masked)
  }
  return out
}

/** What a reader sees of one record: readable fields, masked unless they may unmask. */
export function shapeRecord(doc: Doc, perm: Permission, masks: ReadonlyMap<string, MaskRule>): Doc {
  return applyMasks(pickReadable(doc, perm.readFields), masks)
}

/**
 * What a reader may aggregate: a field they may not read, or see masked, is SQL NULL, so
 * a total counts only what their list would show them.
 */
export function shapeScope(
  scope: ReadScope,
  perm: Permission,
  masks: ReadonlyMap<string, MaskRule>
): ReadScope {
  const hidden = (name: string) => {
    const top = name.split('.')[0]
    return masks.has(name) || (!!perm.readFields && !SYSTEM.has(top) && !perm.readFields.has(top))
  }
  // A NULL of the field's own SQL type, so that `sum(…)` or `COALESCE(…, $1)` still resolve.
  return {
    ...scope,
    field: (name) => (hidden(name) ? `(CASE WHEN false THEN ${scope.field(name)} END)` : scope.field(name))
  }
}

/**
 * Drops patch values that are just the masked form of the stored value: a form that showed
 * `138****5678` and sends it back must not overwrite the real number.
 */
export function dropEchoedMasks(data: Doc, existing: Doc, rules: ReadonlyMap<string, MaskRule>): Doc {
  const out = { ...data }
  for (const [field, rule] of rules) {
    const sent = getPath(out, field)
    const stored = getPath(existing, field)
    if (sent !== undefined && stored !== undefined && sent === maskValue(stored, rule) && sent !== stored) {
      if (!field.includes('.')) delete out[field]
      else setPath(out, field, stored)
    }
  }
  return out
}
