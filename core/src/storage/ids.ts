import { randomFillSync } from 'node:crypto'

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Ids made by one process are
 * strictly increasing (the 12-bit `rand_a` field is a counter within a millisecond), so
 * `ORDER BY id` is creation order and new rows append to the right of the primary key index.
 */
let lastMs = 0
let counter = 0
const pool = Buffer.alloc(8 * 1024)
let poolOffset = pool.length
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Random bytes come from a refilled pool: one syscall per thousand ids, not per id. */
function randomBytes8(): Buffer {
  if (poolOffset + 8 > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 8)
  poolOffset += 8
  return bytes
}

function nextTimestamp(): { ms: number; seq: number } {
  const now = Date.now()
  if (now > lastMs) {
    lastMs = now
    counter = 0
  } else if (++counter > 0xfff) {
    // 4096 ids in one millisecond: borrow the next millisecond so the order holds.
    lastMs += 1
    counter = 0
  }
  return { ms: lastMs, seq: counter }
}

export function uuidv7(): string {
  const { ms, seq } = nextTimestamp()
  const rnd = randomBytes8()
  const b = new Array<number>(16)
  for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff
  b[6] = 0x70 | (seq >> 8)
  b[7] = seq & 0xff
  b[8] = 0x80 | (rnd[0] & 0x3f)
  for (let i = 9; i < 16; i++) b[i] = rnd[i - 8]
  const h = b.map((x) => HEX[x])
  return (
    h.slice(0, 4).join('') +
    '-' +
    h.slice(4, 6).join('') +
    '-' +
    h.slice(6, 8).join('') +
    '-' +
    h.slice(8, 10).join('') +
    '-' +
    h.slice(10, 16).join('')
  )
}

/** The longest id a client may bring (for imports from other systems). */
export const MAX_ID_LENGTH = 64

/** A new record id (UUIDv7); the name other modules use. */
export const newId = uuidv7
