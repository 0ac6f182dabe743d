import type { CollectionDefinition, CountMode } from '@medaffairs/plugin-sdk'
import { FIELD_OPERATORS, fieldCondition, type FieldOperator } from './conditions.js'
import { decodeCursor, keysetCondition } from './cursor.js'
import { badRequest } from './errors.js'
import { parseFieldPath, short } from './expressions.js'
import { compileSchema, resolveField, type Schema } from './fields.js'
import { orderByClause, sortKeys, type SortKey } from './sort.js'
import { isPlainObject, SqlParams } from './values.js'

/** Nesting of $or/$and groups, and leaf conditions, one query may have. */
export const MAX_DEPTH = 16
export const MAX_CONDITIONS = 500
export const MAX_SELECT_FIELDS = 200

/** Top-level keys that shape the result rather than filter rows. */
export const QUERY_FILTERS = ['$limit', '$skip', '$sort', '$select', '$after', '$count'] as const

export interface TranslateOptions {
  /** The record property holding the row id; default `id`. */
  idField?: string
  /** Parameters already bound ($1..$n); the translation numbers its own after them. */
  params?: readonly unknown[]
  /** More top-level `$` filters to let through untouched (a service's custom filters). */
  filters?: readonly string[]
}

export interface TranslatedQuery {
  /** The filter, `true` when there is none. */
  where: string
  /** All parameters of `where` (including those passed in options.params). */
  params: unknown[]
  sortKeys: SortKey[]
  orderBy: string
  select?: string[]
  limit?: number
  skip: number
  /** The `$after` keyset condition, numbered after `params`; kept apart so counts ignore it. */
  after?: { sql: string; params: unknown[] }
  count?: CountMode
}

interface State {
  schema: Schema
  params: SqlParams
  conditions: number
  filters: ReadonlySet<string>
}

function spend(st: State, n = 1): void {
  st.conditions += n
  if (st.conditions > MAX_CONDITIONS) {
    throw badRequest(`The query has more than ${MAX_CONDITIONS} conditions`, undefined, 'too-many-conditions')
  }
}

function fieldPredicate(name: string, value: unknown, st: State): string {
  const ref = resolveField(name, st.schema)
  const ctx = { params: st.params, spend: (n?: number) => spend(st, n) }
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    const ops = keys.filter((k) => k.startsWith('$'))
    if (ops.length && ops.length < keys.length) {
      throw badRequest(`The condition on "${name}" mixes operators and field names`, name, 'mixed-condition')
    }
    if (ops.length) {
      return ops
        .map((op) => {
          if (!(FIELD_OPERATORS as readonly string[]).includes(op)) {
            throw badRequest(`Unknown operator ${short(op)} on "${name}"`, name, 'unknown-operator')
          }
          return fieldCondition(ref, op as FieldOperator, value[op], ctx)
        })
        .join(' AND ')
    }
  }
  // `undefined` counts as null, as the MongoDB driver sends it: a hook that sets
  // `ownerId: user.id` with no user must match nothing rather than drop the condition.
  return fieldCondition(ref, '$eq', value === undefined ? null : value, ctx)
}

function logical(key: '$or' | '$and', value: unknown, depth: number, st: State): string {
  if (!Array.isArray(value)) throw badRequest(`${key} expects a list of conditions`, key, 'expected-list')
  // An empty $or matches nothing: a data scope with no allowed values must not widen to all.
  if (value.length === 0) return key === '$or' ? 'false' : 'true'
  const parts = value.map((item) => `(${group(item, depth + 1, st)})`)
  return `(${parts.join(key === '$or' ? ' OR ' : ' AND ')})`
}

function group(q: unknown, depth: number, st: State): string {
  if (!isPlainObject(q))
    throw badRequest('Each condition group must be an object', undefined, 'expected-object')
  if (depth > MAX_DEPTH)
    throw badRequest(`Condition groups are nested deeper than ${MAX_DEPTH}`, undefined, 'too-deep')
  const parts: string[] = []
  for (const key of Object.keys(q)) {
    const value = q[key]
    if (key === '$or' || key === '$and') parts.push(logical(key, value, depth, st))
    else if (key.startsWith('$')) {
      if (depth === 0 && st.filters.has(key)) continue
      const where = depth === 0 ? 'query filter' : 'operator here; only $or, $and and field names are allowed'
      throw badRequest(`Unknown ${where}: ${short(key)}`, short(key), 'unknown-operator')
    } else parts.push(fieldPredicate(key, value, st))
  }
  return parts.length ? parts.join(' AND ') : 'true'
}

function nonNegative(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw badRequest(`${name} must be a non-negative integer`, name, 'expected-integer')
  }
  return n
}

export function parseSelect(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (
    !Array.isArray(value) ||
    value.length > MAX_SELECT_FIELDS ||
    !value.every((v) => typeof v === 'string')
  ) {
    throw badRequest(
      `$select must be a list of at most ${MAX_SELECT_FIELDS} field names`,
      '$select',
      'select'
    )
  }
  for (const name of value) parseFieldPath(name)
  return value
}

/** Only the filter part of a query (no sort, paging or cursor), for writes. */
export function translateWhere(
  query: unknown,
  schema: Schema,
  params: SqlParams,
  filters: readonly string[] = []
): string {
  const st: State = { schema, params, conditions: 0, filters: new Set([...QUERY_FILTERS, ...filters]) }
  return group(query ?? {}, 0, st)
}

/** Translates a Feathers query to parameterized SQL parts. Pure: no I/O, no SQL values. */
export function translateQuery(
  query: unknown,
  def: CollectionDefinition | Schema,
  options: TranslateOptions = {}
): TranslatedQuery {
  const schema = 'def' in def ? def : compileSchema(def, options.idField)
  const q = (query ?? {}) as Record<string, unknown>
  const params = new SqlParams([...(options.params ?? [])])
  const where = translateWhere(q, schema, params, options.filters)
  const keys = sortKeys(q.$sort, schema)
  let after: TranslatedQuery['after']
  if (q.$after !== undefined && q.$after !== null && q.$after !== '') {
    const afterParams = new SqlParams([...params.values])
    const sql = keysetCondition(keys, decodeCursor(q.$after, keys), afterParams)
    after = { sql, params: afterParams.values.slice(params.values.length) }
  }
  return {
    where,
    params: params.values,
    sortKeys: keys,
    orderBy: orderByClause(keys),
    select: parseSelect(q.$select),
    limit: nonNegative(q.$limit, '$limit'),
    skip: nonNegative(q.$skip, '$skip') ?? 0,
    after,
    count: q.$count as CountMode | undefined
  }
}
