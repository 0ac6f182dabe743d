import { createHash } from 'node:crypto'
import { badRequest } from './errors.js'
import type { KeyType, SortKey } from './sort.js'
import type { SqlParams } from './values.js'

/**
 * Keyset pagination. A cursor is the text of the last row's sort keys (ending with its id),
 * tagged with a hash of the sort, so that it cannot be replayed against another sort. The
 * values go back into SQL only as bind parameters.
 */

const MAX_CURSOR_LENGTH = 32_768

function signature(keys: readonly SortKey[]): string {
  return createHash('sha1')
    .update(JSON.stringify(keys.map((k) => [k.sql, k.dir])))
    .digest('base64url')
    .slice(0, 12)
}

/** SQL that renders a key as exact text (timestamps to the microsecond, in UTC). */
export function keyText(k: SortKey): string {
  if (k.type === 'timestamp') return `to_char(${k.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
  return `(${k.sql})::text`
}

const CAST: Record<KeyType, string> = {
  text: 'text',
  numeric: 'numeric',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  integer: 'integer',
  jsonb: 'jsonb'
}

export function encodeCursor(keys: readonly SortKey[], values: readonly (string | null)[]): string {
  return Buffer.from(JSON.stringify([signature(keys), values]), 'utf8').toString('base64url')
}

export function decodeCursor(cursor: unknown, keys: readonly SortKey[]): (string | null)[] {
  const invalid = () => badRequest('$after is not a valid cursor for this query', '$after', 'cursor')
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalid()
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] !== signature(keys)) throw invalid()
  const values = decoded[1] as unknown
  if (!Array.isArray(values) || values.length !== keys.length) throw invalid()
  if (!values.every((v) => v === null || typeof v === 'string')) throw invalid()
  return values as (string | null)[]
}

/** "Strictly after" for one key, with MongoDB's null order (first ascending, last descending). */
function after(k: SortKey, placeholder: string | null): string {
  if (k.dir === 1) return placeholder === null ? `${k.sql} IS NOT NULL` : `${k.sql} > ${placeholder}`
  return placeholder === null ? 'false' : `(${k.sql} < ${placeholder} OR ${k.sql} IS NULL)`
}

/**
 * The same condition as one row comparison, `(k1, k2, id) > ($1, $2, $3)`, which a btree index
 * on those keys can seek to (the OR form makes the planner scan from the start and filter).
 * Exact only where no NULL can sit after the cursor: all ascending with a cursor free of
 * nulls (nulls sort first), or all descending over NOT NULL keys.
 */
function rowComparison(keys: readonly SortKey[], ph: readonly (string | null)[]): string | undefined {
  const dir = keys[0]?.dir
  if (!keys.every((k) => k.dir === dir) || ph.some((p) => p === null)) return undefined
  if (dir === -1 && !keys.every((k) => k.notNull)) return undefined
  return `((${keys.map((k) => k.sql).join(', ')}) ${dir === 1 ? '>' : '<'} (${ph.join(', ')}))`
}

/**
 * Rows after the cursor: (k1 > c1) OR (k1 = c1 AND k2 > c2) OR ... with equality spelled
 * `IS NULL` where the cursor holds null, so every row comes exactly once.
 */
export function keysetCondition(
  keys: readonly SortKey[],
  values: readonly (string | null)[],
  params: SqlParams
): string {
  const ph = values.map((v, i) => (v === null ? null : `${params.add(v)}::${CAST[keys[i].type]}`))
  const row = rowComparison(keys, ph)
  if (row) return row
  const branches: string[] = []
  for (let i = 0; i < keys.length; i++) {
    const step = after(keys[i], ph[i])
    if (step === 'false') continue
    const equal = keys
      .slice(0, i)
      .map((k, j) => (ph[j] === null ? `${k.sql} IS NULL` : `${k.sql} = ${ph[j]}`))
    branches.push([...equal, step].join(' AND '))
  }
  return branches.length ? `(${branches.map((b) => `(${b})`).join(' OR ')})` : 'false'
}
