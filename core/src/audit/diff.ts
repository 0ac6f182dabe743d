import { SYSTEM_FIELDS, maskValue, type MaskRule } from '@medaffairs/plugin-sdk'

type Doc = Record<string, unknown>
const SYSTEM = new Set<string>(SYSTEM_FIELDS)
const TRACKED_SYSTEM = ['ownerId', 'deptId', 'state']

/** Sensitive values appear in the trail masked, never in clear. */
function conceal(field: string, value: unknown, masks: ReadonlyMap<string, MaskRule>): unknown {
  const rule = masks.get(field)
  if (!rule || value === null || value === undefined) return value
  return Array.isArray(value) ? value.map((v) => maskValue(String(v), rule)) : maskValue(String(value), rule)
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null
/** Equal as JSON; two primitives are compared without serialising them (null and undefined differ, as in JSON). */
const same = (a: unknown, b: unknown): boolean =>
  a === b || ((isObject(a) || isObject(b)) && JSON.stringify(a) === JSON.stringify(b))

/** `{ field: [before, after] }` for every field that changed (data fields and owner/department/state). */
export function changes(
  before: Doc | undefined,
  after: Doc | undefined,
  masks: ReadonlyMap<string, MaskRule>
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {}
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const k of keys) {
    if (SYSTEM.has(k) && !TRACKED_SYSTEM.includes(k)) continue
    const b = before?.[k]
    const a = after?.[k]
    if (!same(b, a)) out[k] = [conceal(k, b ?? null, masks), conceal(k, a ?? null, masks)]
  }
  return out
}
