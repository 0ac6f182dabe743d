import type { Queryable } from '@medaffairs/plugin-sdk'
import type { TableSchema } from './format.js'

/** The workspace lives in the connection's schema; pg-boss's own schema is left out (see README). */

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Every ordinary table of the workspace schema, by name. */
export async function listTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`
  )
  return rows.map((r) => r.name)
}

/** Columns, constraints and stand-alone indexes of one table, from the catalog. */
export async function readTableSchema(db: Queryable, table: string): Promise<TableSchema> {
  const rel = `${quoteIdent(table)}`
  const columns = await db.query<TableSchema['columns'][number]>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            pg_get_expr(d.adbin, d.adrelid) AS default,
            CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [rel]
  )
  const constraints = await db.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'c', 'f', 'x') ORDER BY conname`,
    [rel]
  )
  const indexes = await db.query<{ name: string; def: string; comment: string | null }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
      ORDER BY c.relname`,
    [rel]
  )
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows }
}

/** Creates a table a migration does not make (a collection defined in the form designer). */
export async function createTableFrom(db: Queryable, table: string, schema: TableSchema): Promise<void> {
  const cols = schema.columns.map((c) =>
    [
      quoteIdent(c.name),
      c.type,
      c.collation ? `COLLATE ${quoteIdent(c.collation)}` : '',
      c.notNull ? 'NOT NULL' : '',
      c.default !== null ? `DEFAULT ${c.default}` : ''
    ]
      .filter(Boolean)
      .join(' ')
  )
  const cons = schema.constraints.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.def}`)
  await db.query(`CREATE TABLE ${quoteIdent(table)} (${[...cols, ...cons].join(', ')})`)
}

/** Creates the indexes the backup had and the table lacks (same names, same definitions, same tags). */
export async function ensureIndexes(db: Queryable, table: string, schema: TableSchema): Promise<number> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass`,
    [quoteIdent(table)]
  )
  const have = new Set(rows.map((r) => r.name))
  const missing = schema.indexes.filter((index) => !have.has(index.name))
  for (const index of missing) await createIndex(db, index)
  return missing.length
}

/** An index as the catalog described it, with its comment (collection indexes carry a tag there). */
export async function createIndex(db: Queryable, index: TableSchema['indexes'][number]): Promise<void> {
  await db.query(index.def)
  if (index.comment !== null)
    await db.query(`COMMENT ON INDEX ${quoteIdent(index.name)} IS '${index.comment.replace(/'/g, "''")}'`)
}

/** Why a table of the target cannot take the backup's rows as they are, or null. */
export function columnMismatch(backup: TableSchema, target: TableSchema): string | null {
  const want = backup.columns.map((c) => `${c.name} ${c.type}`).join(', ')
  const have = target.columns.map((c) => `${c.name} ${c.type}`).join(', ')
  return want === have ? null : `backup has (${want}), this database has (${have})`
}

/** Sequences of the workspace schema with their current values. */
export async function readSequences(db: Queryable): Promise<Array<{ name: string; value: number | null }>> {
  const { rows } = await db.query<{ name: string; value: number | null }>(
    `SELECT sequencename AS name, last_value AS value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY sequencename`
  )
  return rows
}
