import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
export const PREFIX_LENGTH = 8
const KEY_PATTERN = /^ma_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/

export interface NewKey {
  prefix: string
  /** The whole key, `ma_<prefix>_<secret>`: shown once, never stored. */
  key: string
}

/** A new key: 8 lookup characters and 256 random bits of secret. */
export function generateKey(): NewKey {
  let prefix = ''
  for (let i = 0; i < PREFIX_LENGTH; i++) prefix += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)]
  const secret = randomBytes(32).toString('base64url')
  return { prefix, key: `ma_${prefix}_${secret}` }
}

/** Splits a presented key; undefined when it is not shaped like one of ours. */
export function parseKey(key: unknown): { prefix: string; key: string } | undefined {
  if (typeof key !== 'string' || key.length > 100) return undefined
  const m = KEY_PATTERN.exec(key.trim())
  return m ? { prefix: m[1], key: key.trim() } : undefined
}

/**
 * HMAC-SHA256 of the whole key under the server pepper. A fast hash is enough here: the
 * secret is 256 random bits, so there is nothing to guess (bcrypt's slowness protects
 * low-entropy passwords), and every API call verifies a key, so the check must stay cheap.
 * The pepper means a stolen table alone cannot even confirm a guess.
 */
export function hashKey(key: string, pepper: string): string {
  return createHmac('sha256', pepper).update(key).digest('hex')
}

/** Compares in constant time; a missing row compares against a dummy so timing says nothing. */
export function sameHash(presented: string, stored: string | undefined): boolean {
  const a = Buffer.from(presented, 'hex')
  const b = Buffer.from(stored ?? '0'.repeat(presented.length), 'hex')
  return a.length === b.length && timingSafeEqual(a, b) && stored !== undefined
}
