/** Rows of a collection table and the records the services return. */

export const COLUMNS =
  'id, owner_id, dept_id, state, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, rev, doc'

export interface Row {
  id: string
  owner_id: string | null
  dept_id: string | null
  state: string | null
  created_at: Date | string
  created_by: string | null
  updated_at: Date | string
  updated_by: string | null
  deleted_at: Date | string | null
  deleted_by: string | null
  rev: number
  doc: Record<string, unknown> | string
  [key: `_k${number}`]: string | null
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString()
}

/**
 * `{ id, ...doc, ownerId, ..., rev }`. System fields come after the document so that a stray
 * key in `doc` can never masquerade as one; deletion fields only on deleted rows.
 */
export function toRecord(row: Row, idField: string): Record<string, unknown> {
  const doc = typeof row.doc === 'string' ? (JSON.parse(row.doc) as Record<string, unknown>) : row.doc
  const record: Record<string, unknown> = {
    [idField]: row.id,
    ...doc,
    ownerId: row.owner_id,
    deptId: row.dept_id,
    state: row.state,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at),
    updatedBy: row.updated_by,
    rev: row.rev
  }
  if (row.deleted_at !== null) {
    record.deletedAt = iso(row.deleted_at)
    record.deletedBy = row.deleted_by
  }
  return record
}

function getPath(obj: unknown, segments: readonly string[]): unknown {
  let cur = obj
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, s)) return undefined
    cur = (cur as Record<string, unknown>)[s]
  }
  return cur
}

function setPath(obj: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let cur = obj
  for (const s of segments.slice(0, -1)) {
    if (!Object.hasOwn(cur, s) || cur[s] === null || typeof cur[s] !== 'object') {
      Object.defineProperty(cur, s, { value: {}, enumerable: true, writable: true, configurable: true })
    }
    cur = cur[s] as Record<string, unknown>
  }
  Object.defineProperty(cur, segments[segments.length - 1], {
    value,
    enumerable: true,
    writable: true,
    configurable: true
  })
}

/** `$select`: the named fields (dotted paths keep their nesting) plus the id, nothing else. */
export function pickFields(
  record: Record<string, unknown>,
  select: readonly string[],
  idField: string
): Record<string, unknown> {
  const out: Record<string, unknown> = { [idField]: record[idField] }
  for (const name of select) {
    const segments = name.split('.')
    const value = getPath(record, segments)
    if (value !== undefined) setPath(out, segments, value)
  }
  return out
}

export function toRecords(
  rows: readonly Row[],
  idField: string,
  select?: readonly string[]
): Record<string, unknown>[] {
  const records = rows.map((r) => toRecord(r, idField))
  return select ? records.map((r) => pickFields(r, select, idField)) : records
}
