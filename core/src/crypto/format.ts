import { createCipheriv, createDecipheriv, createHmac, randomFillSync, type KeyObject } from 'node:crypto'

/**
 * The stored form of an encrypted value: `enc:v<version>:<base64url(iv 12 | tag 16 | ciphertext)>`,
 * AES-256-GCM over the value's JSON. The version names the data key, so that values written
 * under different keys can live side by side while a rotation runs.
 */

export const IV_BYTES = 12
export const TAG_BYTES = 16
export const KEY_BYTES = 32

/** Anchored and restricted to the base64url alphabet: Buffer.from would skip stray characters. */
const ENCRYPTED = /^enc:v([1-9]\d{0,8}):([A-Za-z0-9_-]{38,})$/

/** `enc:v3:…` → 3; anything that is not our ciphertext → undefined. */
export function versionOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value.startsWith('enc:v')) return undefined
  const m = ENCRYPTED.exec(value)
  return m ? Number(m[1]) : undefined
}

export const isEncrypted = (value: unknown): value is string => versionOf(value) !== undefined

/** What binds a ciphertext to its place: moving it to another field or collection fails the tag. */
export const aadOf = (collection: string, field: string): Buffer =>
  Buffer.from(`${collection}|${field}`, 'utf8')

/** Random IVs from a refilled pool: one syscall per few hundred values rather than one each. */
const pool = Buffer.alloc(IV_BYTES * 256)
let poolOffset = pool.length

function nextIv(): Buffer {
  if (poolOffset + IV_BYTES > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  poolOffset += IV_BYTES
  return pool.subarray(poolOffset - IV_BYTES, poolOffset)
}

/** Keys may be KeyObjects (made once per key: half the cost of each cipher) or raw bytes. */
export type SecretKey = Buffer | KeyObject

export function encryptJson(key: SecretKey, version: number, value: unknown, aad: Buffer): string {
  const json = JSON.stringify(value)
  if (json === undefined) throw new TypeError('cannot encrypt undefined')
  const iv = nextIv()
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad)
  const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()])
  return `enc:v${version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
}

/** Thrown when the tag does not verify: the value was altered, moved, or the key is not its key. */
export class TagMismatch extends Error {}

export function decryptJson(key: SecretKey, text: string, aad: Buffer): unknown {
  const m = ENCRYPTED.exec(text)
  if (!m) throw new TagMismatch('not an encrypted value')
  const raw = Buffer.from(m[2], 'base64url')
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new TagMismatch('truncated')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES))
  decipher.setAAD(aad)
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  let json: string
  try {
    json = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8'
    )
  } catch {
    throw new TagMismatch('authentication tag mismatch')
  }
  return JSON.parse(json) as unknown
}

/** base64url(HMAC-SHA256(key, collection|field|normalized)). */
export function blindHash(key: SecretKey, collection: string, field: string, normalized: string): string {
  return createHmac('sha256', key).update(`${collection}|${field}|${normalized}`, 'utf8').digest('base64url')
}
