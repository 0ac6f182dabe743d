import type { CollectionField, StorageType } from '@medaffairs/plugin-sdk'

/**
 * Blind indexes: a keyed HMAC of the normalized clear value, stored next to the ciphertext as
 * `<field>__bidx`, so that exact-match search works without decrypting. This file has no
 * dependencies so that the storage layer can import it to index and translate those fields.
 */

export const BLIND_SUFFIX = '__bidx'

/**
 * Types that get a blind index. Booleans, objects, arrays and JSON do not: a boolean's index
 * has two values and would reveal it by frequency, and searching whole objects (family
 * members) by exact value is of no use while it would still leak equality between records.
 */
const INDEXED_TYPES: ReadonlySet<StorageType> = new Set(['string', 'number', 'date', 'datetime'])

export function hasBlindIndex(field: CollectionField): boolean {
  return Boolean(field.sensitive) && INDEXED_TYPES.has(field.type)
}

export const blindIndexName = (field: string): string => `${field}${BLIND_SUFFIX}`

/** The declaration the storage indexes and compares a sensitive field's blind index as. */
export function blindIndexField(field: CollectionField): CollectionField | undefined {
  if (!hasBlindIndex(field)) return undefined
  return { name: blindIndexName(field.name), type: 'string', filterable: true, unique: field.unique }
}

/** `<field>__bidx` of a declared sensitive field → its declaration; anything else → undefined. */
export function blindIndexOf(
  name: string,
  fields: ReadonlyMap<string, CollectionField>
): CollectionField | undefined {
  if (!name.endsWith(BLIND_SUFFIX)) return undefined
  const base = fields.get(name.slice(0, -BLIND_SUFFIX.length))
  return base ? blindIndexField(base) : undefined
}

/** How a value is made canonical before hashing, so that equal values find each other. */
export type NormalizerName = 'text' | 'id' | 'phone' | 'number'
export type Normalizer = NormalizerName | ((value: unknown) => string)

export class NormalizeError extends Error {}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'bigint') return String(value)
  throw new NormalizeError('expected a text or a number')
}

/** NFKC turns full-width digits and letters (common in Chinese input methods) into ASCII. */
const nfkc = (text: string) => text.normalize('NFKC')

const NORMALIZERS: Record<NormalizerName, (value: unknown) => string> = {
  text: (v) => nfkc(scalarText(v)).trim(),
  // 身份证: spaces are typing noise and a lowercase x is the same check character (GB 11643).
  id: (v) => nfkc(scalarText(v)).replace(/\s+/g, '').toUpperCase(),
  // Phones: digits only; a +86 / 0086 country prefix before a mainland mobile is dropped.
  phone: (v) => {
    const digits = nfkc(scalarText(v)).replace(/\D+/g, '')
    const mobile = /^(?:0086|86)(1[3-9]\d{9})$/.exec(digits)
    return mobile ? mobile[1] : digits
  },
  number: (v) => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new NormalizeError('expected a number')
    return String(n)
  }
}

const ID_WORDS = new Set(['id', 'idcard', 'idno', 'idnumber', 'cert', 'certno', 'passport'])
const PHONE_WORDS = new Set(['mobile', 'phone', 'cellphone', 'telephone', 'tel', 'fax'])

/** `emergencyPhone` → ['emergency', 'phone']; `id_card_no` → ['id', 'card', 'no']. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
}

/**
 * The normalizer a field gets unless the hook's options name one: numbers numerically,
 * strings by a hint in the field name (ID numbers, phones), plain text otherwise.
 */
export function defaultNormalizer(field: CollectionField): NormalizerName {
  if (field.type === 'number') return 'number'
  if (field.type !== 'string') return 'text'
  const last = field.name.split('.').pop() ?? field.name
  const parts = words(last)
  if (parts.some((w) => PHONE_WORDS.has(w)) || /手机|电话/.test(last)) return 'phone'
  if (parts.some((w) => ID_WORDS.has(w)) || /身份证|证件/.test(last)) return 'id'
  return 'text'
}

export function normalize(normalizer: Normalizer, value: unknown): string {
  return typeof normalizer === 'function' ? normalizer(value) : NORMALIZERS[normalizer](value)
}
