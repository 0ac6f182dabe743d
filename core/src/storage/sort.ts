import { badRequest } from './errors.js'
import { resolveField, type Schema } from './fields.js'
import { isPlainObject } from './values.js'

/** One ORDER BY expression; the keyset cursor stores one value per key. */
export type KeyType = 'text' | 'numeric' | 'boolean' | 'timestamp' | 'integer' | 'jsonb'
export interface SortKey {
  sql: string
  type: KeyType
  dir: 1 | -1
  /** A NOT NULL column: ORDER BY without NULLS FIRST/LAST, so that plain indexes match. */
  notNull?: boolean
}

const NOT_NULL = new Set(['id', 'created_at', 'updated_at', 'rev'])

export const MAX_SORT_FIELDS = 8

function direction(value: unknown, field: string): 1 | -1 {
  if (value === 1 || value === '1' || value === 'asc' || value === 'ascending') return 1
  if (value === -1 || value === '-1' || value === 'desc' || value === 'descending') return -1
  throw badRequest(`$sort for "${field}" must be 1 or -1`, field, 'sort-direction')
}

/**
 * An undeclared field can hold any JSON type, so it sorts as MongoDB does across types:
 * null/missing < numbers < strings < objects < arrays < booleans, then by value within a type.
 */
function untypedKeys(j: string, dir: 1 | -1): SortKey[] {
  const t = `jsonb_typeof(${j})`
  return [
    {
      sql: `(CASE ${t} WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 3 WHEN 'array' THEN 4 WHEN 'boolean' THEN 5 ELSE 0 END)`,
      type: 'integer',
      dir
    },
    {
      sql: `(CASE ${t} WHEN 'number' THEN (${j} #>> '{}')::numeric WHEN 'boolean' THEN (${j} #>> '{}')::boolean::int END)`,
      type: 'numeric',
      dir
    },
    { sql: `((CASE WHEN ${t} = 'string' THEN ${j} #>> '{}' END) COLLATE "C")`, type: 'text', dir },
    { sql: `(CASE WHEN ${t} IN ('object', 'array') THEN ${j} END)`, type: 'jsonb', dir }
  ]
}

function fieldKeys(name: string, dir: 1 | -1, schema: Schema): SortKey[] {
  const ref = resolveField(name, schema)
  if (ref.kind === 'array')
    throw badRequest(`"${name}" is a list and cannot be sorted on`, name, 'sort-array')
  if (ref.kind === 'json') return untypedKeys(ref.sql, dir)
  return [{ sql: ref.sql, type: ref.type, dir, notNull: NOT_NULL.has(ref.sql) }]
}

/** Reads `$sort` (or the definition's default sort) into SQL keys, ending with the id. */
export function sortKeys(sort: unknown, schema: Schema): SortKey[] {
  let spec: Record<string, unknown> | undefined = sort as Record<string, unknown> | undefined
  if (spec !== undefined && spec !== null && !isPlainObject(spec)) {
    throw badRequest('$sort must be an object of field: 1 or -1', undefined, 'sort')
  }
  if (!spec || Object.keys(spec).length === 0) spec = schema.def.defaultSort ?? {}
  const entries = Object.entries(spec)
  if (entries.length > MAX_SORT_FIELDS) {
    throw badRequest(`$sort may name at most ${MAX_SORT_FIELDS} fields`, undefined, 'sort-too-long')
  }
  const keys: SortKey[] = []
  let hasId = false
  for (const [name, value] of entries) {
    const dir = direction(value, name)
    const k = fieldKeys(name, dir, schema)
    keys.push(...k)
    if (k.length === 1 && k[0].sql === 'id') hasId = true
  }
  // A total order: ties break on id, in the direction of the first key so that an index on
  // (field NULLS FIRST, id) serves both directions.
  if (!hasId) keys.push({ sql: 'id', type: 'text', dir: keys[0]?.dir ?? 1, notNull: true })
  return keys
}

/** MongoDB puts null and missing first ascending and last descending. */
export function orderByClause(keys: readonly SortKey[]): string {
  const order = (k: SortKey) =>
    (k.dir === 1 ? 'ASC' : 'DESC') + (k.notNull ? '' : k.dir === 1 ? ' NULLS FIRST' : ' NULLS LAST')
  return keys.map((k) => `${k.sql} ${order(k)}`).join(', ')
}
