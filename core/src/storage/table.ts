import { createHash } from 'node:crypto'
import type { CollectionDefinition, CollectionField, Db } from '@medaffairs/plugin-sdk'
import { blindIndexField } from '../crypto/blind-index.js'
import { guard } from './errors.js'
import { fieldExpression, parseFieldPath } from './expressions.js'
import { validateDefinition } from './fields.js'

/** One table per collection; system columns plus the document. */

export interface IndexSpec {
  name: string
  /** The fields it covers (for unique-violation messages). */
  fields: string[]
  unique: boolean
  /** `ON c_x ...`: what the index is; its hash tells syncIndexes when a definition changed. */
  body: string
}

export function tableName(def: CollectionDefinition): string {
  return `c_${def.name}`
}

/** The prefix of every index a collection owns; syncIndexes never touches any other. */
export function indexPrefix(def: CollectionDefinition): string {
  return `${tableName(def)}__`
}

function hash(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length)
}

const READABLE = /^[a-z0-9]+(_[a-z0-9]+)*$/

/**
 * `c_<name>__<field>_<kind>`, dots as `__`. Names that would be ambiguous (underscore runs,
 * capitals, other scripts) or longer than PostgreSQL's 63 bytes get a hash instead.
 */
export function indexName(def: CollectionDefinition, fields: readonly string[], kind: string): string {
  const segments = fields.flatMap((f) => parseFieldPath(f))
  const readable = segments.every((s) => READABLE.test(s))
  const name = `${indexPrefix(def)}${fields.map((f) => f.split('.').join('__')).join('__')}_${kind}`
  if (readable && Buffer.byteLength(name) <= 63) return name
  return `${indexPrefix(def)}h${hash(`${kind}:${fields.join(',')}`, 10)}_${kind}`
}

const SCALAR = new Set(['string', 'number', 'boolean', 'date', 'datetime'])

function fieldIndexes(def: CollectionDefinition, f: CollectionField): IndexSpec[] {
  // A sensitive field holds ciphertext (random IVs): index its blind index instead.
  if (f.sensitive) {
    const blind = blindIndexField(f)
    return blind ? fieldIndexes(def, blind).map((s) => ({ ...s, fields: [f.name] })) : []
  }
  const table = tableName(def)
  const specs: IndexSpec[] = []
  const expr = fieldExpression(f.name, f.type)
  // A unique field's own index already serves equality and ranges on live rows; a second one
  // is only needed to sort (keyset order takes the id as tie-breaker).
  if ((f.sortable || (f.filterable && !f.unique)) && SCALAR.has(f.type)) {
    // NULLS FIRST + id: serves equality and ranges, and ORDER BY field, id in both
    // directions (ASC NULLS FIRST forward, DESC NULLS LAST backward).
    specs.push({
      name: indexName(def, [f.name], 'idx'),
      fields: [f.name],
      unique: false,
      body: `ON ${table} (${expr} NULLS FIRST, id)`
    })
  }
  if (f.filterable && f.type === 'array') {
    specs.push({
      name: indexName(def, [f.name], 'gin'),
      fields: [f.name],
      unique: false,
      body: `ON ${table} USING gin (${expr} jsonb_path_ops)`
    })
  }
  if (f.unique) {
    specs.push({
      name: indexName(def, [f.name], 'uq'),
      fields: [f.name],
      unique: true,
      body: `ON ${table} (${expr}) WHERE deleted_at IS NULL`
    })
  }
  return specs
}

/** Every index the definition asks for, system ones included. */
export function indexPlan(def: CollectionDefinition): IndexSpec[] {
  validateDefinition(def)
  const table = tableName(def)
  const p = indexPrefix(def)
  const specs: IndexSpec[] = [
    { name: `${p}sys_dept`, fields: ['deptId'], unique: false, body: `ON ${table} (dept_id)` },
    { name: `${p}sys_owner`, fields: ['ownerId'], unique: false, body: `ON ${table} (owner_id)` },
    // The recycle bin lists deleted rows; live rows stay out of this index.
    {
      name: `${p}sys_deleted`,
      fields: ['deletedAt'],
      unique: false,
      body: `ON ${table} (deleted_at) WHERE deleted_at IS NOT NULL`
    }
  ]
  for (const f of def.fields) specs.push(...fieldIndexes(def, f))
  const byName = new Map(def.fields.map((f) => [f.name, f]))
  for (const key of def.uniques ?? []) {
    const exprs = key.map((name) => {
      const blind = blindIndexField(byName.get(name)!)
      return blind ? fieldExpression(blind.name, blind.type) : fieldExpression(name, byName.get(name)!.type)
    })
    specs.push({
      name: indexName(def, key, 'cuq'),
      fields: [...key],
      unique: true,
      body: `ON ${table} (${exprs.join(', ')}) WHERE deleted_at IS NULL`
    })
  }
  return specs
}

/** Maps an index name from a unique violation back to its fields. */
export function uniqueFieldsForIndex(def: CollectionDefinition, name: string): string[] | undefined {
  return indexPlan(def).find((s) => s.unique && s.name === name)?.fields
}

const TAG = 'medaffairs:'
const tagOf = (spec: IndexSpec) => `${TAG}${hash(`${spec.unique}:${spec.body}`, 16)}`

export async function ensureCollectionTable(db: Db, def: CollectionDefinition): Promise<void> {
  validateDefinition(def)
  const table = tableName(def)
  await guard(() =>
    db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`medaffairs:table:${table}`])
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        id text COLLATE "C" PRIMARY KEY,
        owner_id text COLLATE "C",
        dept_id text COLLATE "C",
        state text COLLATE "C",
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text COLLATE "C",
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text COLLATE "C",
        deleted_at timestamptz,
        deleted_by text COLLATE "C",
        rev integer NOT NULL DEFAULT 1,
        doc jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(doc) = 'object')
      )`)
    })
  )
  await syncIndexes(db, def)
}

export interface SyncIndexesOptions {
  /** CREATE/DROP INDEX CONCURRENTLY (pg, outside a transaction): writes go on meanwhile. */
  concurrently?: boolean
}

interface ExistingIndex {
  name: string
  note: string | null
  valid: boolean
}

async function existingIndexes(db: Db, def: CollectionDefinition): Promise<ExistingIndex[]> {
  const { rows } = await db.query<ExistingIndex>(
    `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS note, i.indisvalid AS valid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass($1)`,
    [tableName(def)]
  )
  return rows.filter((r) => r.name.startsWith(indexPrefix(def)))
}

async function createIndex(db: Db, spec: IndexSpec, concurrently: boolean): Promise<void> {
  const how = `${spec.unique ? 'UNIQUE ' : ''}INDEX${concurrently ? ' CONCURRENTLY' : ''}`
  try {
    await db.query(`CREATE ${how} IF NOT EXISTS ${spec.name} ${spec.body}`)
  } catch (error) {
    // A failed concurrent build leaves an invalid index behind; do not keep it.
    if (concurrently) await db.query(`DROP INDEX IF EXISTS ${spec.name}`).catch(() => undefined)
    throw error
  }
  await db.query(`COMMENT ON INDEX ${spec.name} IS '${tagOf(spec)}'`)
}

/**
 * Makes the table's indexes those the definition declares: creates the missing ones, rebuilds
 * the ones whose definition changed (or a failed concurrent build left invalid), drops the
 * ones no longer declared. Only indexes named with the collection's prefix are touched.
 */
export async function syncIndexes(
  db: Db,
  def: CollectionDefinition,
  options: SyncIndexesOptions = {}
): Promise<{ created: string[]; dropped: string[] }> {
  const specs = indexPlan(def)
  const concurrently = Boolean(options.concurrently) && db.driver === 'pg' && !db.inTransaction()
  const run = async () => {
    const existing = await existingIndexes(db, def)
    const created: string[] = []
    const dropped: string[] = []
    const drop = async (name: string) => {
      await db.query(`DROP INDEX${concurrently ? ' CONCURRENTLY' : ''} IF EXISTS ${name}`)
      dropped.push(name)
    }
    for (const spec of specs) {
      const have = existing.find((e) => e.name === spec.name)
      if (have && have.valid && have.note === tagOf(spec)) continue
      if (have) await drop(spec.name)
      await createIndex(db, spec, concurrently)
      created.push(spec.name)
    }
    for (const e of existing) if (!specs.some((s) => s.name === e.name)) await drop(e.name)
    return { created, dropped }
  }
  const ctx = { uniqueFields: (name: string) => uniqueFieldsForIndex(def, name) }
  if (concurrently) return guard(run, ctx)
  return guard(
    () =>
      db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`medaffairs:table:${tableName(def)}`])
        return run()
      }),
    ctx
  )
}
