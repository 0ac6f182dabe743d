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
    changes && isChange(v) ? { field, before: (v as unknown[])[0], after: (v as unknown[])[1], kind: 'change' } : { field, value: v, kind: 'value' }
  )
}

/** A diff value as short text. */
export function diffText(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value || '""'
  return JSON.stringify(value)
}
