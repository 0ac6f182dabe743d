/**
 * Test helpers written independently of the code under test: the check character comes
 * from the ISO 7064 MOD 11-2 definition (weight of position i from the right is 2^(i-1)
 * mod 11), not from the weight table the library uses.
 */
export function referenceCheckChar(body17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (2 ** (17 - i) % 11)
  const value = (12 - (sum % 11)) % 11
  return value === 10 ? 'X' : String(value)
}

/** A small seeded PRNG (mulberry32), so a failing random case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0')

const PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65
]

export interface GeneratedId {
  id: string
  birthDate: string
  sex: 'male' | 'female'
  region: string
}

/** A random valid 18-digit resident ID born between 1900-01-01 and 2024-12-31. */
export function randomResidentId(next: () => number): GeneratedId {
  const int = (n: number) => Math.floor(next() * n)
  const region = `${PROVINCES[int(PROVINCES.length)]}${pad(int(100), 2)}${pad(int(100), 2)}`
  const day = new Date(Date.UTC(1900, 0, 1) + int(45_655) * 86_400_000)
  const birthDate = day.toISOString().slice(0, 10)
  const seq = pad(int(1000), 3)
  const body = region + birthDate.replaceAll('-', '') + seq
  const sex = Number(seq[2]) % 2 === 1 ? 'male' : 'female'
  return { id: body + referenceCheckChar(body), birthDate, sex, region }
}

/** Makes a valid body into a full number with the given check character. */
export const withCheck = (body17: string): string => body17 + referenceCheckChar(body17)

/** Replaces one digit at `index` by a different digit. */
export function flipDigit(id: string, index: number, by = 1): string {
  const c = id[index]
  const replaced = c === 'X' ? '0' : String((Number(c) + by) % 10)
  return id.slice(0, index) + replaced + id.slice(index + 1)
}
