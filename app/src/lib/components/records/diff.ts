/** One changed field of an audit entry, with before and after when the entry has them. */
export interface DiffRow {
  field: string
  before?: unknown
  after?: unknown
  /** A snapshot value (create) or a detail (unmask: the fields seen). */
  value?: unknown
  kind: 'change' | 'value'
}

/** Reads an audit diff: `{field: [before, after]}` for updates, a snapshot or details otherwise. */
export function diffRows(action: string, diff: Record<string, unknown> | null | undefined): DiffRow[] {
  if (!diff) return []
  const isChange = (v: unknown) => Array.isArray(v) && v.length === 2
  const changes = action === 'patch' || action === 'update' || Object.values(diff).every(isChange)
  return Object.entries(diff).map(([field, v]) =>
    changes && isChange(v)
      ? { field, before: (v as unknown[])[0], after: (v as unknown[])[1], kind: 'change' }
      : { field, value: v, kind: 'value' }
  )
}

/** A diff value as short text. */
export function diffText(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value || '""'
  return JSON.stringify(value)
}

/** Reads a diff value: as the record's form shows it when it can (`shown`), else as data. */
export type DiffValueFormat = (field: string, value: unknown) => string | undefined

export function diffCell(field: string, value: unknown, shown?: DiffValueFormat): string {
  if (value === null || value === undefined) return diffText(value)
  return shown?.(field, value) || diffText(value)
}

/**
 * The values an audit page refers to, as records (one per side of each entry), so that the
 * names of users and departments in them can be looked up in one go.
 */
export function diffRecords(
  entries: Array<{ action: string; diff: Record<string, unknown> | null | undefined }>
): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (const e of entries) {
    const before: Record<string, unknown> = {}
    const after: Record<string, unknown> = {}
    for (const row of diffRows(e.action, e.diff)) {
      if (row.kind === 'change') {
        before[row.field] = row.before
        after[row.field] = row.after
      } else after[row.field] = row.value
    }
    out.push(before, after)
  }
  return out.filter((r) => Object.keys(r).length > 0)
}
