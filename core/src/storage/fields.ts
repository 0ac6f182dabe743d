import {
  SYSTEM_FIELDS,
  type CollectionDefinition,
  type CollectionField,
  type StorageType
} from '@medaffairs/plugin-sdk'
import { blindIndexOf } from '../crypto/blind-index.js'
import { fieldExpression, jsonPath, parseFieldPath, SYSTEM_COLUMNS } from './expressions.js'

/** How the translator compares a scalar expression. */
export type ScalarType = 'text' | 'numeric' | 'boolean' | 'timestamp' | 'integer'

export type FieldRef =
  /** A system column or a declared scalar field: one typed SQL expression. */
  | { kind: 'scalar'; name: string; sql: string; type: ScalarType; storage?: StorageType }
  /** A declared array field: jsonb, with the element type when declared. */
  | { kind: 'array'; name: string; sql: string; items?: 'text' | 'numeric' }
  /** Undeclared fields and declared objects: jsonb, typed by the query value. */
  | { kind: 'json'; name: string; sql: string }

export interface Schema {
  def: CollectionDefinition
  /** The record property that holds the row id (`id`, or e.g. `customid`). */
  idField: string
  fields: ReadonlyMap<string, CollectionField>
}

const COLLECTION_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/
const STORAGE_TYPES: readonly StorageType[] = [
  'string',
  'number',
  'boolean',
  'date',
  'datetime',
  'array',
  'object',
  'json'
]

/** Rejects a definition the storage cannot map safely; runs before any DDL. */
export function validateDefinition(def: CollectionDefinition): void {
  // No double underscore: `c_<name>__` is the prefix of the indexes this collection owns.
  if (!COLLECTION_NAME.test(def.name) || def.name.length > 40) {
    throw new Error(
      `Collection name "${def.name}" must be lower-case letters, digits and single underscores (max 40)`
    )
  }
  const seen = new Set<string>()
  for (const f of def.fields) {
    parseFieldPath(f.name)
    if ((SYSTEM_FIELDS as readonly string[]).includes(f.name)) {
      throw new Error(`Collection ${def.name}: "${f.name}" is a system field and cannot be declared`)
    }
    if (!STORAGE_TYPES.includes(f.type))
      throw new Error(`Collection ${def.name}: field ${f.name} has unknown type ${f.type}`)
    if (seen.has(f.name)) throw new Error(`Collection ${def.name}: field ${f.name} is declared twice`)
    seen.add(f.name)
  }
  for (const key of def.uniques ?? []) {
    if (!key.length) throw new Error(`Collection ${def.name}: an empty unique key`)
    for (const name of key) {
      if (!seen.has(name))
        throw new Error(`Collection ${def.name}: unique key names undeclared field ${name}`)
    }
  }
}

const cache = new WeakMap<CollectionDefinition, Map<string, Schema>>()

export function compileSchema(def: CollectionDefinition, idField = 'id'): Schema {
  let byId = cache.get(def)
  if (!byId) cache.set(def, (byId = new Map()))
  let schema = byId.get(idField)
  if (!schema) {
    validateDefinition(def)
    schema = { def, idField, fields: new Map(def.fields.map((f) => [f.name, f])) }
    byId.set(idField, schema)
  }
  return schema
}

function declaredRef(name: string, field: CollectionField): FieldRef {
  const sql = fieldExpression(name, field.type)
  switch (field.type) {
    case 'string':
    case 'date':
    case 'datetime':
      return { kind: 'scalar', name, sql, type: 'text', storage: field.type }
    case 'number':
      return { kind: 'scalar', name, sql, type: 'numeric', storage: field.type }
    case 'boolean':
      return { kind: 'scalar', name, sql, type: 'boolean', storage: field.type }
    case 'array':
      return {
        kind: 'array',
        name,
        sql,
        items: field.items === 'number' ? 'numeric' : field.items ? 'text' : undefined
      }
    default:
      return { kind: 'json', name, sql }
  }
}

/** Resolves a query field name to its SQL; throws BadRequest for an invalid name. */
export function resolveField(name: string, schema: Schema): FieldRef {
  if (name === schema.idField) return { kind: 'scalar', name, sql: 'id', type: 'text' }
  // `id` names the id column too when the service uses another id property.
  const system = SYSTEM_COLUMNS.get(name)
  if (system) return { kind: 'scalar', name, sql: system.column, type: system.type }
  const segments = parseFieldPath(name)
  const declared = schema.fields.get(name)
  if (declared) return declaredRef(name, declared)
  // A sensitive field's blind index (`<field>__bidx`): text, the expression its index is built on.
  const blind = blindIndexOf(name, schema.fields)
  if (blind) return declaredRef(name, blind)
  return { kind: 'json', name, sql: `(${jsonPath(segments)})` }
}

/** The keys that never go into `doc`: the id property and the system fields. */
export function strippedKeys(schema: Schema): string[] {
  return [...new Set([schema.idField, ...SYSTEM_FIELDS])]
}
