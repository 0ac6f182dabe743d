import type { CollectionDefinition } from '@medaffairs/plugin-sdk'

/** Random typed documents and Feathers queries, and their MongoDB (mingo) twins. */

export type Rng = () => number

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const DIFF_DEFINITION: CollectionDefinition = {
  name: 'diff',
  fields: [
    { name: 'name', type: 'string', filterable: true, sortable: true },
    { name: 'age', type: 'number', filterable: true, sortable: true },
    { name: 'score', type: 'number' },
    { name: 'active', type: 'boolean', filterable: true },
    { name: 'born', type: 'date', sortable: true },
    { name: 'tags', type: 'array', items: 'string', filterable: true },
    { name: 'nums', type: 'array', items: 'number' },
    { name: 'address.city', type: 'string', filterable: true },
    { name: 'meta', type: 'object' }
  ]
}

// Value pools: small, so that equality hits; with quotes, LIKE wildcards, backslashes, Chinese.
const NAMES = [
  'alice',
  'Alice',
  'Bob',
  'bob',
  'carol',
  'Dave',
  '张三',
  '李四',
  "O'Brien",
  'a_b',
  'a%b',
  '',
  'x y',
  'back\\slash'
]
const NUMBERS = [-5, -1.5, 0, 1, 1.5, 2, 3, 10, 42, 100]
const DATES = ['1999-09-09', '2020-01-01', '2020-06-15', '2021-03-03', '2023-12-31']
const TAGS = ['red', 'Red', 'green', 'blue', '紫']
const CITIES = ['Beijing', 'Shanghai', 'shanghai', '广州', 'Paris']
/** Untyped fields hold any JSON scalar type. */
const MIXED: unknown[] = [0, 1, 2.5, -1, 'a', 'b', 'B', '1', '', true, false, null, '张']

export interface Pools {
  rng: Rng
  ids: string[]
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]
const chance = (rng: Rng, p: number) => rng() < p
const some = <T>(rng: Rng, list: readonly T[], max: number): T[] =>
  Array.from({ length: Math.floor(rng() * (max + 1)) }, () => pick(rng, list))

/** Sets `key` to a value, null, or leaves it missing. */
function maybe(rng: Rng, doc: Record<string, unknown>, key: string, make: () => unknown): void {
  const r = rng()
  if (r < 0.12) return
  doc[key] = r < 0.22 ? null : make()
}

export function randomDoc(rng: Rng): Record<string, unknown> {
  const d: Record<string, unknown> = {}
  maybe(rng, d, 'name', () => pick(rng, NAMES))
  maybe(rng, d, 'age', () => pick(rng, NUMBERS))
  maybe(rng, d, 'score', () => pick(rng, NUMBERS))
  maybe(rng, d, 'active', () => chance(rng, 0.5))
  maybe(rng, d, 'born', () => pick(rng, DATES))
  maybe(rng, d, 'tags', () => (chance(rng, 0.1) ? [...some(rng, TAGS, 2), null] : some(rng, TAGS, 3)))
  maybe(rng, d, 'nums', () => some(rng, NUMBERS, 3))
  maybe(rng, d, 'address', () => {
    if (chance(rng, 0.1)) return 'n/a'
    const a: Record<string, unknown> = {}
    maybe(rng, a, 'city', () => pick(rng, CITIES))
    maybe(rng, a, 'zip', () => pick(rng, MIXED))
    return a
  })
  maybe(rng, d, 'misc', () => pick(rng, MIXED))
  maybe(rng, d, 'bag', () =>
    chance(rng, 0.5)
      ? some(
          rng,
          MIXED.filter((v) => v !== null),
          3
        )
      : pick(rng, MIXED)
  )
  maybe(rng, d, 'meta', () => {
    const m: Record<string, unknown> = {}
    maybe(rng, m, 'level', () => pick(rng, MIXED))
    return m
  })
  return d
}

type Kind = 'text' | 'number' | 'boolean' | 'date' | 'tags' | 'nums' | 'mixed' | 'bag' | 'id'
const FIELDS: Record<string, Kind> = {
  name: 'text',
  age: 'number',
  score: 'number',
  active: 'boolean',
  born: 'date',
  tags: 'tags',
  nums: 'nums',
  'address.city': 'text',
  'address.zip': 'mixed',
  misc: 'mixed',
  bag: 'bag',
  'meta.level': 'mixed',
  id: 'id'
}
/** Sortable fields (arrays cannot be sorted). */
export const SORT_FIELDS = [
  'name',
  'age',
  'score',
  'active',
  'born',
  'address.city',
  'address.zip',
  'misc',
  'meta.level',
  'id'
]

function scalarFor(p: Pools, field: string, kind: Kind): unknown {
  const { rng } = p
  switch (kind) {
    case 'text':
      return field === 'name' ? pick(rng, [...NAMES, 'zed']) : pick(rng, [...CITIES, 'Rome'])
    case 'number':
    case 'nums':
      return pick(rng, [...NUMBERS, 7, -100])
    case 'boolean':
      return chance(rng, 0.5)
    case 'date':
      return pick(rng, [...DATES, '2020-02', '2022'])
    case 'tags':
      return pick(rng, [...TAGS, 'black'])
    case 'id':
      return pick(rng, p.ids)
    default:
      return pick(
        rng,
        MIXED.filter((v) => v !== null)
      )
  }
}

/** A LIKE pattern built from a real value: some characters become wildcards. */
function likeFrom(rng: Rng, source: string): string {
  let out = chance(rng, 0.3) ? '%' : ''
  for (const ch of source) {
    const r = rng()
    if (r < 0.15) out += '_'
    else if (r < 0.25) out += '%'
    else out += ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : chance(rng, 0.2) ? ch.toUpperCase() : ch
  }
  return out + (chance(rng, 0.3) ? '%' : '')
}

const RANGE = ['$lt', '$lte', '$gt', '$gte']

function operatorFor(p: Pools, field: string, kind: Kind): [string, unknown] {
  const { rng } = p
  const value = () => (chance(rng, 0.12) && kind !== 'id' ? null : scalarFor(p, field, kind))
  const list = () => Array.from({ length: 1 + Math.floor(rng() * 4) }, value)
  const textual =
    kind === 'text' ||
    kind === 'date' ||
    kind === 'tags' ||
    kind === 'mixed' ||
    kind === 'bag' ||
    kind === 'id'
  const ops = [
    '$eq',
    '$ne',
    '$in',
    '$nin',
    ...RANGE,
    ...RANGE,
    ...(textual ? ['$like', '$ilike', '$notlike'] : [])
  ]
  const op = pick(rng, ops)
  if (op === '$in' || op === '$nin') return [op, chance(rng, 0.05) ? [] : list()]
  if (RANGE.includes(op)) return [op, scalarFor(p, field, kind)]
  if (op.endsWith('like')) {
    const src = scalarFor(p, field, kind === 'mixed' || kind === 'bag' ? 'text' : kind)
    return [op, likeFrom(rng, typeof src === 'string' ? src : String(src))]
  }
  if (op === '$eq' && (kind === 'tags' || kind === 'nums') && chance(rng, 0.15))
    return [op, some<unknown>(rng, kind === 'tags' ? TAGS : NUMBERS, 2)]
  return [op, value()]
}

function fieldCondition(p: Pools, field: string): unknown {
  const kind = FIELDS[field]
  const n = chance(p.rng, 0.7) ? 1 : 2
  const cond: Record<string, unknown> = {}
  for (let i = 0; i < n; i++) {
    const [op, v] = operatorFor(p, field, kind)
    if (op.endsWith('like') && Object.keys(cond).some((k) => k.endsWith('like'))) continue
    cond[op] = v
  }
  // The short form `{ field: value }` for a lone $eq.
  if (Object.keys(cond).length === 1 && '$eq' in cond && chance(p.rng, 0.5)) return cond.$eq
  return cond
}

export function randomGroup(p: Pools, depth = 0): Record<string, unknown> {
  const { rng } = p
  const q: Record<string, unknown> = {}
  const entries = 1 + Math.floor(rng() * 3)
  for (let i = 0; i < entries; i++) {
    if (depth < 3 && chance(rng, 0.3)) {
      const key = chance(rng, 0.6) ? '$or' : '$and'
      if (!(key in q))
        q[key] = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => randomGroup(p, depth + 1))
    } else {
      const field = pick(rng, Object.keys(FIELDS))
      if (!(field in q)) q[field] = fieldCondition(p, field)
    }
  }
  return q
}

export interface RandomQuery {
  query: Record<string, unknown>
  sort: Record<string, 1 | -1>
  skip?: number
  limit?: number
}

export function randomQuery(p: Pools): RandomQuery {
  const { rng } = p
  const query = chance(rng, 0.05) ? {} : randomGroup(p)
  const sort: Record<string, 1 | -1> = {}
  for (let i = Math.floor(rng() * 4); i > 0; i--) sort[pick(rng, SORT_FIELDS)] = chance(rng, 0.5) ? 1 : -1
  return {
    query,
    sort,
    skip: chance(rng, 0.3) ? Math.floor(rng() * 20) : undefined,
    limit: chance(rng, 0.5) ? 1 + Math.floor(rng() * 30) : undefined
  }
}

// ------------------------------------------------------------------------ the mingo twin

function likeToRegex(pattern: string): string {
  let out = '^'
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '\\') out += escapeRegex(pattern[++i] ?? '')
    else if (ch === '%') out += '.*'
    else if (ch === '_') out += '.'
    else out += escapeRegex(ch)
  }
  return `${out}$`
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

function mongoCondition(cond: unknown): unknown {
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return cond
  const out: Record<string, unknown> = {}
  for (const [op, v] of Object.entries(cond as Record<string, unknown>)) {
    if (op === '$like') Object.assign(out, { $regex: likeToRegex(v as string), $options: 's' })
    else if (op === '$ilike') Object.assign(out, { $regex: likeToRegex(v as string), $options: 'si' })
    else if (op === '$notlike') out.$not = { $regex: new RegExp(likeToRegex(v as string), 's') }
    else out[op] = v
  }
  return out
}

/** The same query in MongoDB syntax: LIKE patterns become anchored regular expressions. */
export function toMongo(q: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(q)) {
    if (k === '$or' || k === '$and') out[k] = (v as Record<string, unknown>[]).map(toMongo)
    else out[k] = mongoCondition(v)
  }
  return out
}
