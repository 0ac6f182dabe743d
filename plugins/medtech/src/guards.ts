import { BadRequest, Forbidden } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import { reason } from './fields.js'

type Doc = Record<string, any>

const list = (v: unknown): Doc[] => (Array.isArray(v) ? v : v ? [v] : []) as Doc[]

/**
 * Fields only the plugin writes (launch, totals, conversion, the record's state): a client
 * that changes one is refused with the fields named, and nothing is written. Sending a value
 * back unchanged is fine (a client saving what it read); a replacement (PUT) keeps them.
 */
export function refuseManaged(fields: readonly string[]) {
  const managed = ['state', ...fields]
  return async (context: HookContext): Promise<void> => {
    if (!context.params.provider) return
    const rows = list(context.data)
    const existing =
      context.method === 'create' || context.id == null
        ? {}
        : (((context.params as { existing?: Doc }).existing ??
            (await context.service.get(context.id))) as Doc)
    const same = (d: Doc, k: string) => JSON.stringify(d[k] ?? null) === JSON.stringify(existing[k] ?? null)
    const changed = [
      ...new Set(
        rows.flatMap((d) => managed.filter((k) => k in d && (context.method === 'create' || !same(d, k))))
      )
    ]
    if (changed.length) {
      throw new Forbidden(
        `以下字段由系统维护，不能直接修改：${changed.join('、')} (these fields are kept by the system: ${changed.join(', ')})`,
        { fields: changed }
      )
    }
    for (const d of rows)
      for (const k of managed) {
        if (context.method === 'update' && k in existing) d[k] = existing[k]
        else if (context.method === 'patch') delete d[k]
      }
  }
}

/** Collects field errors and throws them together, as the form validator does. */
export class Problems {
  readonly errors: Array<{ field: string; reason: string }> = []
  add(field: string, zh: string, en: string): this {
    this.errors.push({ field, reason: reason(zh, en) })
    return this
  }
  throwIfAny(): void {
    if (this.errors.length)
      throw new BadRequest('数据校验未通过 (validation failed)', { errors: this.errors })
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
export const isDate = (v: unknown): v is string =>
  typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v))
export const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100000

/** Today as the hospital sees it (China has one time zone, no daylight saving). */
export function today(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.toISOString().slice(0, 10)
}

/** Whole months from `from` to `to` (both `YYYY-MM-DD`). */
export function monthsBetween(from: string, to: string): number {
  const a = new Date(`${from}T00:00:00Z`)
  const b = new Date(`${to}T00:00:00Z`)
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth())
  if (b.getUTCDate() < a.getUTCDate()) months--
  return Math.max(0, months)
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}
