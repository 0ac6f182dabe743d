import { FeathersError } from '@feathersjs/errors'
import type { RowError } from '@medaffairs/plugin-sdk'
import { r } from '../definitions/validate/messages.js'
import type { PreparedRow } from './prepare.js'

type Doc = Record<string, any>

/** Errors that concern the rows sent (refused, invalid, duplicate), not the server. */
const ROW_CODES = new Set([400, 403, 404, 409, 422])
const DUPLICATE = r('与已有记录重复', 'duplicates an existing record')

interface FieldReason {
  field: string | null
  reason: string
}

/**
 * The validation hook answers a multi-create with `errors: [{ field: '3.title', reason }]`
 * for every failing item at once. Returns them by item index, or undefined when the error
 * does not name items (then the chunk is split to find the culprits).
 */
type Listed = Array<{ field?: unknown; reason?: unknown }>

/** Feathers moves `data.errors` of a new error to `error.errors`; older code may leave it in data. */
function listed(error: FeathersError): Listed {
  const own = (error as { errors?: unknown }).errors
  const inData = (error.data as { errors?: unknown } | undefined)?.errors
  return Array.isArray(own) && own.length ? (own as Listed) : Array.isArray(inData) ? (inData as Listed) : []
}

function byItem(error: FeathersError, size: number): Map<number, FieldReason[]> | undefined {
  const list = listed(error)
  if (error.code !== 400 || !list.length) return undefined
  const out = new Map<number, FieldReason[]>()
  for (const e of list) {
    const m = typeof e.field === 'string' ? /^(\d+)(?:\.(.+))?$/.exec(e.field) : null
    if (!m || Number(m[1]) >= size) return undefined
    const at = out.get(Number(m[1])) ?? []
    at.push({ field: m[2]?.split('.')[0] ?? null, reason: String(e.reason ?? error.message) })
    out.set(Number(m[1]), at)
  }
  return out
}

/** What a single refused row is told: the fields the error names, else its message. */
function reasonsOf(error: FeathersError): FieldReason[] {
  const data = (error.data ?? {}) as { fields?: string[] }
  if (error.code === 409)
    return (data.fields?.length ? data.fields : [null]).map((field) => ({ field, reason: DUPLICATE }))
  const named = listed(error).filter((e) => typeof e.field === 'string' && e.field)
  if (named.length)
    return named.map((e) => ({ field: String(e.field), reason: String(e.reason ?? error.message) }))
  return [{ field: null, reason: error.message }]
}

export type CreateMany = (data: Doc[]) => Promise<unknown>

/**
 * Writes prepared rows through the collection service in one multi-create, and when the
 * service refuses, finds out which rows it refused: item-indexed validation errors drop
 * those items; any other refusal (scope, uniqueness) splits the rows in halves until the
 * refused ones stand alone. Each attempt is a transaction of its own (a savepoint inside
 * an all-or-nothing import), so a refused attempt leaves nothing behind.
 */
export class ChunkWriter {
  constructor(
    private readonly create: CreateMany,
    private readonly fail: (row: number, field: string | null, reason: string) => RowError
  ) {}

  /** Returns how many rows were written; appends the refused ones to `errors`. */
  async write(rows: PreparedRow[], errors: RowError[]): Promise<number> {
    if (!rows.length) return 0
    try {
      await this.create(rows.map((p) => p.data))
      return rows.length
    } catch (error) {
      if (!(error instanceof FeathersError) || !ROW_CODES.has(error.code)) throw error
      const items = byItem(error, rows.length)
      if (items) {
        for (const [i, reasons] of items)
          for (const x of reasons) errors.push(this.fail(rows[i].row, x.field, x.reason))
        return this.write(
          rows.filter((_, i) => !items.has(i)),
          errors
        )
      }
      if (rows.length === 1) {
        for (const x of reasonsOf(error)) errors.push(this.fail(rows[0].row, x.field, x.reason))
        return 0
      }
      const half = rows.length >> 1
      return (await this.write(rows.slice(0, half), errors)) + (await this.write(rows.slice(half), errors))
    }
  }
}
