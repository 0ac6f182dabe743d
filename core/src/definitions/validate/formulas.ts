import type { Formula } from '@medaffairs/plugin-sdk'
import { isEmpty, valuesAt } from './conditions.js'

const DAY_MS = 86_400_000
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/

/** Today in the server's local calendar: 工龄 counts the hospital's days, not UTC's. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

const dayNumber = (iso: string) =>
  Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS
const fromDayNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10)

function fullYears(from: string, to: string): number {
  if (to < from) return 0
  const years = +to.slice(0, 4) - +from.slice(0, 4)
  return to.slice(5) < from.slice(5) ? years - 1 : years
}

function startOf(v: unknown): string | undefined {
  if (typeof v === 'string' && ISO.test(v)) return v
  if (v && typeof v === 'object' && typeof (v as { start?: unknown }).start === 'string')
    return startOf((v as { start: string }).start)
  return undefined
}

/** Days of the `minus` periods inside [since, today], overlaps counted once. */
function excludedDays(periods: unknown[], since: string, today: string): number {
  const lo = dayNumber(since)
  const hi = dayNumber(today)
  const spans: Array<[number, number]> = []
  for (const p of periods) {
    const start = startOf(p)
    if (!start) continue
    const endText = (p as { end?: unknown }).end
    const end = typeof endText === 'string' && ISO.test(endText) ? endText : today
    const a = Math.max(lo, dayNumber(start))
    const b = Math.min(hi, dayNumber(end) + 1)
    if (b > a) spans.push([a, b])
  }
  spans.sort((x, y) => x[0] - y[0])
  let total = 0
  let reach = -Infinity
  for (const [a, b] of spans) {
    const from = Math.max(a, reach)
    if (b > from) total += b - from
    reach = Math.max(reach, b)
  }
  return total
}

/**
 * 工龄: full years from the date in `field` to today, after taking out the `minus` periods
 * (date ranges, or a sub-table column of them, e.g. 中断工龄 `breaks.period`): the start is
 * moved later by the excluded days, so whole years still follow the calendar.
 */
function yearsSince(
  doc: Record<string, unknown>,
  f: Extract<Formula, { kind: 'yearsSince' }>,
  today: string
): number | null {
  const since = startOf(valuesAt(doc, f.field)[0])
  if (!since || since > today) return since ? 0 : null
  const periods = (f.minus ?? []).flatMap((path) => valuesAt(doc, path))
  const shifted = fromDayNumber(dayNumber(since) + excludedDays(periods, since, today))
  return fullYears(shifted, today)
}

/** Computes a formula on a validated record; null when its inputs are missing. */
export function computeFormula(
  formula: Formula,
  doc: Record<string, unknown>,
  today = localToday()
): number | null {
  switch (formula.kind) {
    case 'yearsSince':
      return yearsSince(doc, formula, today)
    case 'sum': {
      const values = formula.fields
        .flatMap((path) => valuesAt(doc, path))
        .filter((v): v is number => typeof v === 'number')
      // Decimal credits (0.5 + 1.5) should not come back as 1.9999999999999998.
      return values.length ? Number(values.reduce((a, b) => a + b, 0).toFixed(10)) : 0
    }
    case 'count':
      // A sub-table or a multiselect counts its rows / items.
      return valuesAt(doc, formula.field)
        .flatMap((v) => (Array.isArray(v) ? v : [v]))
        .filter((v) => !isEmpty(v)).length
    default:
      return null
  }
}
