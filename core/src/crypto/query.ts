import { badRequest } from '../storage/errors.js'
import { MAX_LIST_LENGTH } from '../storage/conditions.js'
import { isPlainObject } from '../storage/values.js'
import { blindIndexName } from './blind-index.js'
import { blindIndexValue, type Codec, type SensitiveField } from './codec.js'
import type { FieldCrypto } from './field-crypto.js'

/**
 * Rewrites conditions on sensitive fields to their blind indexes. Only exact matches can be
 * answered that way: `field: value`, `$eq`, `$in` and their negations `$ne`, `$nin` (which
 * reveal nothing equality does not). Ranges, patterns and sorting would need the clear value
 * in the database and are refused with a 400 naming the field. `null` (no value) is tested on
 * the stored field itself, which is null exactly when the clear value is.
 */

type Doc = Record<string, unknown>
const EXACT = ['$eq', '$ne', '$in', '$nin']
const MAX_DEPTH = 32

function refuse(f: SensitiveField, what: string): never {
  throw badRequest(
    `字段「${f.label}」已加密，只能按完整值精确查询（$eq、$in、$ne、$nin），不支持 ${what} (the field "${f.name}" is encrypted: it can only be matched by exact value with $eq, $in, $ne or $nin, not with ${what})`,
    f.name,
    'encrypted-field'
  )
}

function unsearchable(f: SensitiveField): never {
  throw badRequest(
    `字段「${f.label}」已加密且不可检索 (the field "${f.name}" is encrypted and cannot be searched)`,
    f.name,
    'encrypted-field'
  )
}

/** `$in` lists; qs turns long arrays into `{0: .., 1: ..}`, which the translator accepts too. */
function toList(f: SensitiveField, op: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (isPlainObject(value) && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => value[k])
  }
  throw badRequest(`${op} on "${f.name}" expects a list of values`, f.name, 'expected-list')
}

type Entry = [string, unknown]

function operators(codec: Codec, crypto: FieldCrypto, f: SensitiveField, cond: Doc): Entry[] {
  const onField: Doc = {}
  const onIndex: Doc = {}
  const hash = (v: unknown) => {
    if (!f.bidx) unsearchable(f)
    return v === null || v === undefined ? null : blindIndexValue(codec, crypto, f, v)
  }
  for (const op of Object.keys(cond)) {
    if (!op.startsWith('$')) refuse(f, 'a mix of operators and field names')
    if (!EXACT.includes(op)) refuse(f, op)
    const value = cond[op]
    if (op === '$eq' || op === '$ne') {
      if (value === null || value === undefined) onField[op] = null
      else onIndex[op] = hash(value)
      continue
    }
    const list = toList(f, op, value)
    if (list.length > MAX_LIST_LENGTH) {
      throw badRequest(
        `${op} on "${f.name}" has more than ${MAX_LIST_LENGTH} values`,
        f.name,
        'list-too-long'
      )
    }
    onIndex[op] = list.map(hash)
  }
  const entries: Entry[] = []
  if (Object.keys(onField).length) entries.push([f.name, onField])
  if (Object.keys(onIndex).length) entries.push([blindIndexName(f.name), onIndex])
  return entries
}

function condition(codec: Codec, crypto: FieldCrypto, f: SensitiveField, value: unknown): Entry[] {
  if (value === null || value === undefined) return [[f.name, null]]
  if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$')))
    return operators(codec, crypto, f, value)
  if (!f.bidx || Array.isArray(value) || isPlainObject(value)) unsearchable(f)
  return [[blindIndexName(f.name), blindIndexValue(codec, crypto, f, value)]]
}

/** A path into an encrypted value (`family.name` when `family` is sensitive) finds nothing: refuse it. */
function insideSensitive(codec: Codec, name: string): SensitiveField | undefined {
  for (const f of codec.fields) if (name.startsWith(`${f.name}.`)) return f
  return undefined
}

function group(codec: Codec, crypto: FieldCrypto, q: unknown, depth: number): unknown {
  // Anything malformed goes through unchanged: the translator answers it with its own 400.
  if (!isPlainObject(q) || depth > MAX_DEPTH) return q
  const out: Doc = {}
  const extra: Doc[] = []
  for (const key of Object.keys(q)) {
    const value = q[key]
    if (key === '$or' || key === '$and') {
      out[key] = Array.isArray(value) ? value.map((g) => group(codec, crypto, g, depth + 1)) : value
      continue
    }
    const f = key.startsWith('$') ? undefined : codec.byName.get(key)
    if (!f) {
      const outer = key.startsWith('$') ? undefined : insideSensitive(codec, key)
      if (outer) unsearchable(outer)
      out[key] = value
      continue
    }
    // Two conditions on one stored key (a user's `x__bidx` and ours) must both hold: AND them.
    for (const [k, v] of condition(codec, crypto, f, value)) {
      if (Object.hasOwn(out, k) || (k !== key && Object.hasOwn(q, k))) extra.push({ [k]: v })
      else out[k] = v
    }
  }
  if (extra.length) out.$and = [...(Array.isArray(out.$and) ? out.$and : []), ...extra]
  return out
}

function checkSort(codec: Codec, sort: unknown): void {
  if (!isPlainObject(sort)) return
  for (const name of Object.keys(sort)) {
    const f = codec.byName.get(name) ?? insideSensitive(codec, name)
    if (f) refuse(f, '$sort')
  }
}

/** The query with every condition on a sensitive field answered by its blind index. */
export function rewriteQuery(codec: Codec, crypto: FieldCrypto, query: unknown): unknown {
  if (!isPlainObject(query)) return query
  checkSort(codec, query.$sort)
  return group(codec, crypto, query, 0)
}
