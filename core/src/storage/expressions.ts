import type { StorageType } from '@medaffairs/plugin-sdk'
import { badRequest } from './errors.js'

/**
 * The SQL of a field: the single source of truth for index DDL and the query translator, so
 * that the planner recognises a query's expression as the one an index was built on.
 */

const SEGMENT = /^[\p{L}\p{N}_]+$/u
export const MAX_SEGMENT_LENGTH = 63
export const MAX_PATH_DEPTH = 8

/** Column types of the system fields, as the translator compares them. */
export type ColumnType = 'text' | 'timestamp' | 'integer'

// A Map, not an object literal: a field named `constructor` must not find Object.prototype.
export const SYSTEM_COLUMNS: ReadonlyMap<string, { column: string; type: ColumnType }> = new Map([
  ['id', { column: 'id', type: 'text' }],
  ['ownerId', { column: 'owner_id', type: 'text' }],
  ['deptId', { column: 'dept_id', type: 'text' }],
  ['state', { column: 'state', type: 'text' }],
  ['createdAt', { column: 'created_at', type: 'timestamp' }],
  ['createdBy', { column: 'created_by', type: 'text' }],
  ['updatedAt', { column: 'updated_at', type: 'timestamp' }],
  ['updatedBy', { column: 'updated_by', type: 'text' }],
  ['deletedAt', { column: 'deleted_at', type: 'timestamp' }],
  ['deletedBy', { column: 'deleted_by', type: 'text' }],
  ['rev', { column: 'rev', type: 'integer' }]
])

/** System fields a client may set on create/update/patch; the others are managed. */
export const WRITABLE_SYSTEM_FIELDS = ['ownerId', 'deptId', 'state'] as const

/** Splits and checks a field path; the message names the field so a client can fix it. */
export function parseFieldPath(path: unknown): string[] {
  if (typeof path !== 'string' || path === '') {
    throw badRequest('A field name must be a non-empty string', String(path), 'field-name')
  }
  const segments = path.split('.')
  if (segments.length > MAX_PATH_DEPTH) {
    throw badRequest(
      `Field "${short(path)}" is nested deeper than ${MAX_PATH_DEPTH} levels`,
      short(path),
      'field-depth'
    )
  }
  for (const s of segments) {
    // `__proto__` cannot survive a trip through plain JS objects (assignment changes the prototype).
    if (s === '__proto__')
      throw badRequest(`Field name "${short(path)}" is reserved`, short(path), 'field-name')
    if (!SEGMENT.test(s) || s.length > MAX_SEGMENT_LENGTH) {
      const why = s.startsWith('$')
        ? 'an operator cannot be used as a field name'
        : 'use letters, digits and _ only'
      throw badRequest(`Invalid field name "${short(path)}": ${why}`, short(path), 'field-name')
    }
  }
  return segments
}

/** Keeps hostile names from bloating error messages. */
export function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** A SQL string literal. Segments are already restricted; doubling quotes is the second fence. */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** `doc->'a'->'b'`: the jsonb value at a path (SQL NULL when missing). */
export function jsonPath(segments: readonly string[]): string {
  return `doc${segments.map((s) => `->${literal(s)}`).join('')}`
}

/** `doc->'a'->>'b'`: the text of the value at a path (SQL NULL when missing or JSON null). */
export function textPath(segments: readonly string[]): string {
  const last = segments.length - 1
  return `doc${segments.map((s, i) => `${i === last ? '->>' : '->'}${literal(s)}`).join('')}`
}

/**
 * The typed expression of a declared field. Strings, dates and date-times compare as text in
 * the "C" collation (byte order, the order of ISO strings and of MongoDB); numbers as numeric;
 * arrays, objects and JSON stay jsonb.
 */
export function fieldExpression(path: string, type: StorageType): string {
  const system = SYSTEM_COLUMNS.get(path)
  if (system) return system.column
  const segments = parseFieldPath(path)
  switch (type) {
    case 'string':
    case 'date':
    case 'datetime':
      return `((${textPath(segments)}) COLLATE "C")`
    case 'number':
      return `((${textPath(segments)})::numeric)`
    case 'boolean':
      return `((${textPath(segments)})::boolean)`
    default:
      return `(${jsonPath(segments)})`
  }
}
