/**
 * Working-day arithmetic for the filing deadline (备案时限: 15 working days after the first
 * case). Weekends are days off, public holidays are days off, and the make-up working days
 * (调休上班) that fall on a weekend are working days. The hospital keeps the adjustments in the
 * `workday_calendar` collection; these functions are pure so they can be checked on their own.
 */

/** A calendar adjustment: a weekday that is a holiday, or a weekend day that is worked. */
export type DayKind = 'holiday' | 'workday'

/** Adjustments by ISO date (`YYYY-MM-DD`). */
export type Adjustments = ReadonlyMap<string, DayKind>

const DAY_MS = 86_400_000
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

function parse(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${date}`)
  return Date.parse(`${date}T00:00:00Z`)
}

const format = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The date `days` calendar days after `date` (negative goes back). */
export function addCalendarDays(date: string, days: number): string {
  return format(parse(date) + days * DAY_MS)
}

/** Whether a date is worked: Monday–Friday unless a holiday, a weekend day only when made a workday. */
export function isWorkingDay(date: string, adjustments: Adjustments): boolean {
  const adjusted = adjustments.get(date)
  if (adjusted) return adjusted === 'workday'
  const weekday = new Date(parse(date)).getUTCDay()
  return weekday !== 0 && weekday !== 6
}

/**
 * The `n`-th working day after `date` (the day itself is not counted): with n = 15 and a
 * first case on a Friday, the count starts on the next working day.
 */
export function addWorkingDays(date: string, n: number, adjustments: Adjustments): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`)
  let ms = parse(date)
  let left = n
  while (left > 0) {
    ms += DAY_MS
    if (isWorkingDay(format(ms), adjustments)) left--
  }
  return format(ms)
}

/**
 * Working days from `from` to `to`: how many working days lie after `from` up to and
 * including `to` (0 when both are the same day), negative when `to` is before `from`.
 * Used for "n working days left" (from today to the deadline).
 */
export function workingDaysBetween(from: string, to: string, adjustments: Adjustments): number {
  const a = parse(from)
  const b = parse(to)
  const sign = b >= a ? 1 : -1
  let count = 0
  for (let ms = Math.min(a, b) + DAY_MS; ms <= Math.max(a, b); ms += DAY_MS)
    if (isWorkingDay(format(ms), adjustments)) count++
  return sign * count
}

/** The calendar window a deadline computation may look at: generous enough for the longest holiday run. */
export function calendarWindow(date: string, workingDays: number): { from: string; to: string } {
  return { from: date, to: addCalendarDays(date, workingDays * 2 + 30) }
}
