/** A message in both UI languages: forms show the one for the user's locale as is. */
export interface BilingualText {
  'zh-CN': string
  'en-US': string
}

export function bilingual(zh: string, en: string): BilingualText {
  return { 'zh-CN': zh, 'en-US': en }
}

/**
 * Folds full-width characters to ASCII (１２３ＡＢＣ, －, ／), drops all whitespace and upper-cases:
 * numbers are often typed with a Chinese IME or pasted from Word or WeChat with spaces in them.
 */
export function compactCode(input: string): string {
  return input.normalize('NFKC').replace(/\s+/gu, '').toUpperCase()
}

/**
 * First two digits of GB/T 2260 codes for the 31 mainland provincial divisions. Resident ID
 * numbers and CN journal numbers are only issued under these (71 Taiwan, 81 Hong Kong and
 * 82 Macau have codes but issue neither).
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65'.split(' ')
)

/** Region codes of 港澳台居民居住证 numbers. */
export const HMT_REGIONS: Readonly<Record<string, BilingualText>> = {
  '810000': bilingual('香港', 'Hong Kong'),
  '820000': bilingual('澳门', 'Macau'),
  '830000': bilingual('台湾', 'Taiwan')
}

/**
 * A day as `YYYY-MM-DD`. A `Date` is read in local time, because "today" is the user's
 * calendar day, not UTC's; a string must already start with `YYYY-MM-DD`.
 */
export function isoDay(day: Date | string): string {
  if (typeof day === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day)
    if (!m || !isCalendarDate(+m[1], +m[2], +m[3])) throw new RangeError(`Not a YYYY-MM-DD date: ${day}`)
    return m[0]
  }
  if (Number.isNaN(day.getTime())) throw new RangeError('Invalid Date')
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(day.getFullYear(), 4)}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  // Day 0 of the next month is the last day of this one. setUTCFullYear, unlike Date.UTC,
  // does not read years 0–99 as 1900–1999; UTC avoids DST surprises.
  const last = new Date(0)
  last.setUTCFullYear(year, month, 0)
  return day <= last.getUTCDate()
}

/** Full years from `birth` to `on` (both `YYYY-MM-DD`); undefined before birth. */
export function fullYears(birth: string, on: string): number | undefined {
  if (on < birth) return undefined
  const years = +on.slice(0, 4) - +birth.slice(0, 4)
  // ISO strings compare correctly; a 29 February birthday counts from 1 March in common years.
  return on.slice(5) < birth.slice(5) ? years - 1 : years
}
