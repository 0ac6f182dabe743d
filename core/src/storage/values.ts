import type { StorageType } from '@medaffairs/plugin-sdk'
import { badRequest } from './errors.js'
import type { ScalarType } from './fields.js'

/** Longest string accepted in a query: longer ones are abuse, not search terms. */
export const MAX_STRING_LENGTH = 10_000

/** Collects bind parameters; SQL only ever receives `$n` placeholders, never a value. */
export class SqlParams {
  constructor(readonly values: unknown[] = []) {}

  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export function checkString(value: string, field: string): string {
  if (value.length > MAX_STRING_LENGTH) {
    throw badRequest(
      `The value for "${field}" is longer than ${MAX_STRING_LENGTH} characters`,
      field,
      'too-long'
    )
  }
  return value
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/

function wrongType(field: string, expected: string, value: unknown): never {
  const got =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
          ? 'an object'
          : typeof value
  throw badRequest(
    `The value for "${field}" must be ${expected}, not ${got}`,
    field,
    `expected-${expected.split(' ').pop()}`
  )
}

function toNumeric(value: unknown, field: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) wrongType(field, 'a finite number', value)
    return String(value)
  }
  // Query strings arrive as text: '5' for a number field means 5.
  if (typeof value === 'string' && NUMERIC.test(value) && value.length <= 100) return value.trim()
  return wrongType(field, 'a number', value)
}

function toText(value: unknown, field: string, storage?: StorageType): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) wrongType(field, 'a valid date', value)
    const iso = value.toISOString()
    return storage === 'date' ? iso.slice(0, 10) : iso
  }
  if (typeof value === 'string') return checkString(value, field)
  // Ids and codes often arrive as numbers (`get(123)`); a date never is one.
  const textual = storage === undefined || storage === 'string'
  if (textual && typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (storage === 'string' && typeof value === 'boolean') return String(value)
  return wrongType(
    field,
    storage === 'date' || storage === 'datetime' ? 'an ISO date string' : 'a string',
    value
  )
}

function toBoolean(value: unknown, field: string): string {
  if (typeof value === 'boolean') return String(value)
  if (value === 'true' || value === 'false') return value
  return wrongType(field, 'true or false', value)
}

function toTimestamp(value: unknown, field: string): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  if (
    typeof value === 'string' &&
    value.length <= 64 &&
    /^\d{4}-\d{2}-\d{2}/.test(value) &&
    !Number.isNaN(Date.parse(value))
  ) {
    return value
  }
  return wrongType(field, 'an ISO date-time', value)
}

function toInteger(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return value.trim()
  return wrongType(field, 'an integer', value)
}

/**
 * Coerces a non-null query value to the text form of a bind parameter for a typed
 * expression; the SQL casts it (`$1::numeric`). Wrong types become a 400 naming the field.
 */
export function coerceScalar(value: unknown, type: ScalarType, field: string, storage?: StorageType): string {
  switch (type) {
    case 'numeric':
      return toNumeric(value, field)
    case 'boolean':
      return toBoolean(value, field)
    case 'timestamp':
      return toTimestamp(value, field)
    case 'integer':
      return toInteger(value, field)
    default:
      return toText(value, field, storage)
  }
}

/** The SQL cast of a parameter holding a value of this type. */
export function castParam(placeholder: string, type: ScalarType): string {
  switch (type) {
    case 'numeric':
      return `${placeholder}::numeric`
    case 'boolean':
      return `${placeholder}::boolean`
    case 'timestamp':
      return `${placeholder}::timestamptz`
    case 'integer':
      return `${placeholder}::integer`
    default:
      return `${placeholder}::text`
  }
}

/** The SQL array type for `= ANY($n::type[])`. */
export function arrayType(type: ScalarType): string {
  return {
    numeric: 'numeric',
    boolean: 'boolean',
    timestamp: 'timestamptz',
    integer: 'integer',
    text: 'text'
  }[type]
}

/**
 * A query value for an untyped (jsonb) field: JSON scalars as they are, dates as ISO strings,
 * lists and objects checked for long strings. Returns the JSON text of the value.
 */
export function jsonValue(value: unknown, field: string, depth = 0): unknown {
  if (depth > 16) throw badRequest(`The value for "${field}" is nested too deeply`, field, 'too-deep')
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : wrongType(field, 'a finite number', value)
  if (typeof value === 'string') return checkString(value, field)
  if (value instanceof Date) return toText(value, field)
  if (Array.isArray(value)) return value.map((v) => jsonValue(v, field, depth + 1))
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[checkString(k, field)] = jsonValue(v, field, depth + 1)
    return out
  }
  return wrongType(field, 'a JSON value', value)
}
