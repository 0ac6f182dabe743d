import type { FormField } from '@medaffairs/plugin-sdk'
import type { Definitions } from './engine.js'
import { computeFormula, localToday } from './validate/formulas.js'

type Doc = Record<string, any>

export interface RefreshOptions {
  /** `YYYY-MM-DD`; default the server's today. */
  today?: string
  batchSize?: number
}

/**
 * 工龄 grows with the calendar, not with edits: this recomputes the date-dependent computed
 * fields (`yearsSince`) of every live record and stores those that changed. Meant to run daily
 * on the job queue. Records are read through the service (sensitive inputs come back
 * decrypted) in keyset batches; each batch of changes is one UPDATE that leaves `rev` and
 * `updated_at` alone, since nothing the user entered changed. Returns how many records moved.
 */
export async function refreshComputed(
  defs: Definitions,
  collection: string,
  options: RefreshOptions = {}
): Promise<number> {
  const live = await defs.forms.get(collection)
  const fields = (live?.form.fields ?? []).filter(
    (f): f is FormField & { formula: NonNullable<FormField['formula']> } =>
      f.kind === 'computed' && f.formula?.kind === 'yearsSince' && !f.sensitive
  )
  if (!live?.definition || !fields.length) return 0
  const service = defs.deps.app.service(collection.replace(/_/g, '-'))
  const today = options.today ?? localToday()
  const table = `c_${live.definition.name}`
  let after: string | undefined
  let changed = 0
  for (;;) {
    const query: Doc = {
      $sort: { id: 1 },
      $limit: options.batchSize ?? 1000,
      ...(after ? { id: { $gt: after } } : {})
    }
    const rows = (await service.find({ query, paginate: false })) as Doc[]
    if (!rows.length) return changed
    const updates: Array<{ id: string; patch: Doc }> = []
    for (const row of rows) {
      const patch: Doc = {}
      for (const f of fields) {
        const value = computeFormula(f.formula, row, today)
        if (value !== (row[f.name] ?? null)) patch[f.name] = value
      }
      if (Object.keys(patch).length) updates.push({ id: row.id, patch })
    }
    if (updates.length) {
      await defs.db.query(
        `UPDATE ${table} t SET doc = t.doc || u.patch FROM jsonb_to_recordset($1::jsonb) AS u(id text, patch jsonb) WHERE t.id = u.id AND t.deleted_at IS NULL`,
        [JSON.stringify(updates)]
      )
    }
    changed += updates.length
    after = String(rows[rows.length - 1].id)
  }
}
