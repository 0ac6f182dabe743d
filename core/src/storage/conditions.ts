import { badRequest } from './errors.js'
import type { FieldRef } from './fields.js'
import {
  arrayType,
  castParam,
  checkString,
  coerceScalar,
  isPlainObject,
  jsonValue,
  type SqlParams
} from './values.js'

/**
 * One field, one operator → a SQL predicate with MongoDB semantics. A positive predicate may
 * be SQL NULL where it does not match (WHERE treats NULL as false, and the groups above use
 * only AND/OR); every negation wraps it in COALESCE so that missing fields match `$ne`/`$nin`.
 */

export const FIELD_OPERATORS = [
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$like',
  '$ilike',
  '$notlike'
] as const
export type FieldOperator = (typeof FIELD_OPERATORS)[number]

const COMPARE: Record<string, string> = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' }
export const MAX_LIST_LENGTH = 10_000

export interface ConditionContext {
  params: SqlParams
  /** Counts conditions against the per-query budget; throws when it runs out. */
  spend(n?: number): void
}

/** `$in` lists; qs turns long arrays into `{0: .., 1: ..}`, which we accept as a list. */
function toList(value: unknown, field: string, op: string): unknown[] {
  let list: unknown[] | undefined
  if (Array.isArray(value)) list = value
  else if (isPlainObject(value) && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    list = Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => value[k])
  }
  if (!list) throw badRequest(`${op} on "${field}" expects a list of values`, field, 'expected-list')
  if (list.length > MAX_LIST_LENGTH) {
    throw badRequest(`${op} on "${field}" has more than ${MAX_LIST_LENGTH} values`, field, 'list-too-long')
  }
  return list
}

function likePattern(value: unknown, field: string, op: string): string {
  if (typeof value !== 'string')
    throw badRequest(`${op} on "${field}" expects a text pattern`, field, 'expected-string')
  checkString(value, field)
  // A trailing lone backslash escapes nothing; PostgreSQL would reject it with a raw error.
  const trailing = /\\+$/.exec(value)?.[0].length ?? 0
  if (trailing % 2 === 1)
    throw badRequest(`The pattern for "${field}" ends with an escape character`, field, 'pattern')
  return value
}

function nullRange(field: string, op: string): never {
  throw badRequest(`${op} on "${field}" cannot compare with null; use $eq or $ne`, field, 'null-comparison')
}

const negate = (predicate: string) => `NOT COALESCE(${predicate}, false)`
const orAll = (parts: string[]) => (parts.length ? `(${parts.join(' OR ')})` : 'false')

// ---------------------------------------------------------------- scalar columns and fields

function scalarParam(
  f: Extract<FieldRef, { kind: 'scalar' }>,
  value: unknown,
  ctx: ConditionContext
): string {
  return castParam(ctx.params.add(coerceScalar(value, f.type, f.name, f.storage)), f.type)
}

function scalarIn(
  f: Extract<FieldRef, { kind: 'scalar' }>,
  list: unknown[],
  negated: boolean,
  ctx: ConditionContext
) {
  const hasNull = list.some((v) => v === null || v === undefined)
  const values = list
    .filter((v) => v !== null && v !== undefined)
    .map((v) => coerceScalar(v, f.type, f.name, f.storage))
  const any = values.length ? `${ctx.params.add(values)}::${arrayType(f.type)}[]` : undefined
  if (!negated) {
    const parts = [...(any ? [`${f.sql} = ANY(${any})`] : []), ...(hasNull ? [`${f.sql} IS NULL`] : [])]
    return orAll(parts)
  }
  if (hasNull) return any ? `(${f.sql} IS NOT NULL AND ${f.sql} <> ALL(${any}))` : `${f.sql} IS NOT NULL`
  return any ? `(${f.sql} IS NULL OR ${f.sql} <> ALL(${any}))` : 'true'
}

function scalarCondition(
  f: Extract<FieldRef, { kind: 'scalar' }>,
  op: FieldOperator,
  value: unknown,
  ctx: ConditionContext
) {
  const isNull = value === null || value === undefined
  switch (op) {
    case '$eq':
      return isNull ? `${f.sql} IS NULL` : `${f.sql} = ${scalarParam(f, value, ctx)}`
    case '$ne':
      return isNull
        ? `${f.sql} IS NOT NULL`
        : `(${f.sql} <> ${scalarParam(f, value, ctx)} OR ${f.sql} IS NULL)`
    case '$in':
    case '$nin':
      return scalarIn(f, toList(value, f.name, op), op === '$nin', ctx)
    case '$like':
    case '$ilike':
    case '$notlike': {
      if (f.type !== 'text')
        throw badRequest(`${op} works on text fields only; "${f.name}" is not text`, f.name, 'not-text')
      const p = ctx.params.add(likePattern(value, f.name, op))
      if (op === '$notlike') return `(${f.sql} IS NULL OR ${f.sql} NOT LIKE ${p})`
      return `${f.sql} ${op === '$like' ? 'LIKE' : 'ILIKE'} ${p}`
    }
    default:
      if (isNull) nullRange(f.name, op)
      return `${f.sql} ${COMPARE[op]} ${scalarParam(f, value, ctx)}`
  }
}

// ---------------------------------------------------------------- jsonb: arrays and untyped

/** MongoDB's rule for arrays: a predicate matches if the value or any of its elements does. */
function valueOrElement(sql: string, pred: (x: string) => string, scalarToo: boolean): string {
  const elements = `EXISTS (SELECT 1 FROM jsonb_array_elements(${sql}) AS _e(v) WHERE ${pred('_e.v')})`
  return `(CASE WHEN jsonb_typeof(${sql}) = 'array' THEN ${elements}${scalarToo ? ` ELSE ${pred(sql)}` : ''} END)`
}

/** A jsonb comparison typed by the query value, so `$lt: 5` never matches a string. */
function typedComparator(
  sqlOp: string,
  value: unknown,
  field: string,
  ctx: ConditionContext
): (x: string) => string {
  const v = value instanceof Date ? jsonValue(value, field) : value
  if (typeof v === 'number' || typeof v === 'boolean') {
    const p = ctx.params.add(JSON.stringify(jsonValue(v, field)))
    // jsonb orders numbers numerically and false before true, as MongoDB does.
    return (x) => `(jsonb_typeof(${x}) = '${typeof v}' AND ${x} ${sqlOp} ${p}::jsonb)`
  }
  if (typeof v === 'string') {
    const p = ctx.params.add(checkString(v, field))
    return (x) => `(jsonb_typeof(${x}) = 'string' AND (${x} #>> '{}') COLLATE "C" ${sqlOp} ${p}::text)`
  }
  throw badRequest(`${sqlOp} on "${field}" expects a number, text, date or boolean`, field, 'expected-scalar')
}

/** The element value of a declared array, coerced to its item type. */
function elementValue(f: Extract<FieldRef, { kind: 'array' }>, value: unknown): unknown {
  if (f.items === 'numeric') return Number(coerceScalar(value, 'numeric', f.name))
  if (f.items === 'text') return coerceScalar(value, 'text', f.name, 'string')
  return jsonValue(value, f.name)
}

function jsonEquals(f: FieldRef, value: unknown, ctx: ConditionContext): string {
  if (value === null || value === undefined) {
    return `(${f.sql} IS NULL OR ${f.sql} = 'null'::jsonb OR ${f.sql} @> '[null]'::jsonb)`
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    const whole =
      f.kind === 'array' && Array.isArray(value)
        ? value.map((v) => elementValue(f, v))
        : jsonValue(value, f.name)
    const p = ctx.params.add(JSON.stringify(whole))
    // Whole-value equality, or (MongoDB) an element equal to it.
    return `(${f.sql} = ${p}::jsonb OR ${valueOrElement(f.sql, (x) => `${x} = ${p}::jsonb`, false)})`
  }
  if (f.kind === 'array')
    return `${f.sql} @> ${ctx.params.add(JSON.stringify([elementValue(f, value)]))}::jsonb`
  // Containment of a scalar is equality, and for an array "contains the element".
  return `${f.sql} @> ${ctx.params.add(JSON.stringify(jsonValue(value, f.name)))}::jsonb`
}

function jsonIn(f: FieldRef, list: unknown[], ctx: ConditionContext): string {
  const scalars = list.every((v) => !Array.isArray(v) && !isPlainObject(v))
  if (f.kind === 'json' && scalars && list.length) {
    const values = list.map((v) => JSON.stringify(v === undefined ? null : jsonValue(v, f.name)))
    const nulls = list.some((v) => v === null || v === undefined) ? ` OR ${f.sql} IS NULL` : ''
    return `(${f.sql} @> ANY(${ctx.params.add(values)}::jsonb[])${nulls})`
  }
  // Separate `@>` terms, so that a GIN index on an array field serves each of them.
  ctx.spend(list.length)
  return orAll(list.map((v) => jsonEquals(f, v, ctx)))
}

function jsonCondition(
  f: Exclude<FieldRef, { kind: 'scalar' }>,
  op: FieldOperator,
  value: unknown,
  ctx: ConditionContext
) {
  const scalarToo = f.kind === 'json'
  switch (op) {
    case '$eq':
      return jsonEquals(f, value, ctx)
    case '$ne':
      return negate(jsonEquals(f, value, ctx))
    case '$in':
      return jsonIn(f, toList(value, f.name, op), ctx)
    case '$nin':
      return negate(jsonIn(f, toList(value, f.name, op), ctx))
    case '$like':
    case '$ilike':
    case '$notlike': {
      const p = ctx.params.add(likePattern(value, f.name, op))
      const like = op === '$ilike' ? 'ILIKE' : 'LIKE'
      const match = valueOrElement(
        f.sql,
        (x) => `(jsonb_typeof(${x}) = 'string' AND (${x} #>> '{}') ${like} ${p})`,
        scalarToo
      )
      return op === '$notlike' ? negate(match) : match
    }
    default: {
      if (value === null || value === undefined) nullRange(f.name, op)
      const v = f.kind === 'array' ? elementValue(f, value) : value
      return valueOrElement(f.sql, typedComparator(COMPARE[op], v, f.name, ctx), scalarToo)
    }
  }
}

/** The SQL predicate for one operator applied to one field. */
export function fieldCondition(
  f: FieldRef,
  op: FieldOperator,
  value: unknown,
  ctx: ConditionContext
): string {
  ctx.spend()
  return f.kind === 'scalar' ? scalarCondition(f, op, value, ctx) : jsonCondition(f, op, value, ctx)
}
