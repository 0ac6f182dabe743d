import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import { badRequest } from '../storage/errors.js'
import { isPlainObject } from '../storage/values.js'
import {
  BLIND_SUFFIX,
  blindIndexName,
  defaultNormalizer,
  hasBlindIndex,
  normalize,
  NormalizeError,
  type Normalizer
} from './blind-index.js'
import type { FieldCrypto } from './field-crypto.js'
import { versionOf } from './format.js'

type Doc = Record<string, unknown>

export interface EncryptionOptions {
  /** Per field name: how values are made canonical before blind-indexing (default: by type and name). */
  normalizers?: Record<string, Normalizer>
}

export interface SensitiveField {
  name: string
  label: string
  path: string[]
  /** The blind index: its path in the document and the normalizer of its values. */
  bidx?: { path: string[]; normalizer: Normalizer }
}

/** What the hook needs to know of a collection, compiled once per definition. */
export interface Codec {
  collection: string
  fields: SensitiveField[]
  byName: ReadonlyMap<string, SensitiveField>
}

export function compileCodec(def: CollectionDefinition, options: EncryptionOptions = {}): Codec {
  const fields: SensitiveField[] = def.fields
    .filter((f) => f.sensitive)
    .map((f) => ({
      name: f.name,
      label: f.label?.['zh-CN'] ?? f.name,
      path: f.name.split('.'),
      bidx: hasBlindIndex(f)
        ? {
            path: blindIndexName(f.name).split('.'),
            normalizer: options.normalizers?.[f.name] ?? defaultNormalizer(f)
          }
        : undefined
    }))
  // Lists without $sort use the default sort, which the hook cannot refuse per request.
  const sorted = Object.keys(def.defaultSort ?? {}).find((name) =>
    fields.some((f) => name === f.name || name.startsWith(`${f.name}.`))
  )
  if (sorted) throw new Error(`Collection ${def.name}: defaultSort cannot use the encrypted field ${sorted}`)
  return { collection: def.name, fields, byName: new Map(fields.map((f) => [f.name, f])) }
}

const last = (path: readonly string[]) => path[path.length - 1]

/** The object holding the last segment of a path, or undefined when a parent is missing. */
function parentOf(doc: Doc, path: readonly string[]): Doc | undefined {
  let cur: unknown = doc
  for (const s of path.slice(0, -1)) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, s)) return undefined
    cur = cur[s]
  }
  return isPlainObject(cur) ? cur : undefined
}

/** A copy of the document with fresh objects along every sensitive path: the caller's data stays as given. */
function copyAlong(doc: Doc, fields: readonly SensitiveField[]): Doc {
  const out: Doc = { ...doc }
  for (const f of fields) {
    let cur = out
    for (const s of f.path.slice(0, -1)) {
      if (!Object.hasOwn(cur, s) || !isPlainObject(cur[s])) break
      cur[s] = { ...cur[s] }
      cur = cur[s] as Doc
    }
  }
  return out
}

/** The blind index of a clear value; 400 when the value cannot be made canonical. */
export function blindIndexValue(
  codec: Codec,
  crypto: FieldCrypto,
  f: SensitiveField,
  value: unknown
): string {
  if (!f.bidx) throw new Error(`${codec.collection}.${f.name} has no blind index`)
  let normalized: string
  try {
    normalized = normalize(f.bidx.normalizer, value)
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error
    throw badRequest(
      `字段「${f.label}」的值应为文本或数字 (the value of "${f.name}" must be ${error.message.replace(/^expected /, '')})`,
      f.name,
      'expected-scalar'
    )
  }
  return crypto.blindIndex(codec.collection, f.name, normalized)
}

/** Encrypts the sensitive fields of one document and sets (or clears) their blind indexes. */
function encodeDoc(codec: Codec, crypto: FieldCrypto, doc: unknown): unknown {
  if (!isPlainObject(doc)) return doc
  const out = copyAlong(doc, codec.fields)
  for (const f of codec.fields) {
    const parent = parentOf(out, f.path)
    if (!parent) continue
    // A blind index only ever comes from us: a client-sent one would make a record findable by a value it does not hold.
    const bkey = f.bidx ? last(f.bidx.path) : undefined
    if (bkey) delete parent[bkey]
    const key = last(f.path)
    const value = parent[key]
    if (!Object.hasOwn(parent, key) || value === undefined) continue
    if (value === null) {
      if (bkey) parent[bkey] = null
      continue
    }
    if (bkey) parent[bkey] = blindIndexValue(codec, crypto, f, value)
    parent[key] = crypto.encrypt(codec.collection, f.name, value)
  }
  return out
}

/** create (one or many), update and patch data. */
export function encodeData(codec: Codec, crypto: FieldCrypto, data: unknown): unknown {
  return Array.isArray(data) ? data.map((d) => encodeDoc(codec, crypto, d)) : encodeDoc(codec, crypto, data)
}

function collectVersions(codec: Codec, rec: Doc, into: Set<number>): void {
  for (const f of codec.fields) {
    const v = versionOf(parentOf(rec, f.path)?.[last(f.path)])
    if (v !== undefined) into.add(v)
  }
  for (const value of Object.values(rec)) {
    const v = versionOf(value)
    if (v !== undefined) into.add(v)
  }
}

/**
 * Decrypts one record in place (records come fresh from the adapter) and removes the blind
 * indexes. A sensitive value that does not verify is an error. A ciphertext in a field that
 * is no longer marked sensitive is decrypted when it verifies and otherwise left as it is:
 * such a field accepts any text, and a look-alike must not make the record unreadable.
 */
function decodeDoc(codec: Codec, crypto: FieldCrypto, rec: Doc): void {
  const id = rec.id
  for (const f of codec.fields) {
    const parent = parentOf(rec, f.path)
    if (!parent) continue
    const key = last(f.path)
    const version = versionOf(parent[key])
    if (version !== undefined)
      parent[key] = crypto.decrypt(codec.collection, f.name, parent[key] as string, version, id)
    if (f.bidx) delete parent[last(f.bidx.path)]
  }
  for (const key of Object.keys(rec)) {
    if (key.endsWith(BLIND_SUFFIX)) {
      delete rec[key]
      continue
    }
    const version = codec.byName.has(key) ? undefined : versionOf(rec[key])
    if (version === undefined) continue
    try {
      rec[key] = crypto.decrypt(codec.collection, key, rec[key] as string, version, id)
    } catch {
      // Not ours after all (see above).
    }
  }
}

/** Decrypts a get/create/patch result, a list, or a page `{ data }`. */
export async function decodeResult(codec: Codec, crypto: FieldCrypto, result: unknown): Promise<unknown> {
  const records: Doc[] = Array.isArray(result)
    ? result
    : isPlainObject(result) && Array.isArray(result.data) && 'total' in result
      ? (result.data as Doc[])
      : isPlainObject(result)
        ? [result]
        : []
  const versions = new Set<number>()
  for (const r of records) if (isPlainObject(r)) collectVersions(codec, r, versions)
  await crypto.ensureVersions(versions)
  for (const r of records) if (isPlainObject(r)) decodeDoc(codec, crypto, r)
  return result
}
