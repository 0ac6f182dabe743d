/**
 * Spreadsheet cell values as plain values. exceljs hands over strings, numbers, booleans,
 * Dates, rich text, formulas (with their last result), hyperlinks and error values.
 */
export type Plain = string | number | boolean | Date

export function plainCell(v: unknown): Plain | undefined {
  if (v === null || v === undefined) return undefined
  if (typeof v === 'string') {
    const s = v.trim()
    return s === '' ? undefined : s
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v === 'boolean' || v instanceof Date) return v
  if (typeof v !== 'object') return undefined
  const o = v as Record<string, any>
  if (Array.isArray(o.richText))
    return plainCell(o.richText.map((p: { text?: string }) => p.text ?? '').join(''))
  if ('result' in o) return plainCell(o.result)
  if ('formula' in o || 'sharedFormula' in o || 'error' in o) return undefined
  if (typeof o.text === 'string') return plainCell(o.text)
  return undefined
}

const DAY_MS = 86_400_000
/** Excel's day 0 (its 1900 calendar counts a 29 February 1900 that never was). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** An Excel serial date (days since 1899-12-30, with a time as a fraction) as a UTC Date. */
export function fromSerial(serial: number): Date | undefined {
  // 1900-01-01 … 9999-12-31: anything else is a number that is not a date.
  if (!(serial >= 1 && serial < 2_958_466)) return undefined
  return new Date(EXCEL_EPOCH + Math.round(serial * DAY_MS))
}

function isoDay(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d))
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1900 || y > 2200)
    return undefined
  return t.toISOString().slice(0, 10)
}

/**
 * A date as `YYYY-MM-DD`: an Excel date cell (exceljs gives its wall-clock day in UTC), a
 * serial number, or text as people write it: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日,
 * 20240301 (a time part is ignored).
 */
export function toDate(v: Plain): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10)
  if (typeof v === 'number')
    return Number.isInteger(v) && v >= 19000101 && v <= 22001231
      ? toDate(String(v))
      : toDate(fromSerial(v) ?? new Date(NaN))
  if (typeof v !== 'string') return undefined
  const s = v.normalize('NFKC').trim()
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(s) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  return m ? isoDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined
}

/** A date-time as an ISO instant. Spreadsheet cells carry wall-clock time: read as server local time. */
export function toDateTime(v: Plain): string | undefined {
  let d: Date | undefined
  if (v instanceof Date) d = v
  else if (typeof v === 'number') d = fromSerial(v)
  else if (typeof v === 'string') {
    const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v.trim())
    if (m) return new Date(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)).toISOString()
    const parsed = new Date(v)
    return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString()
  }
  if (!d || Number.isNaN(d.getTime())) return undefined
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds()
  ).toISOString()
}

export function toNumber(v: Plain): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v !== 'string') return undefined
  const s = v.normalize('NFKC').replace(/[,\s]/g, '')
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : undefined
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '有', '对'])
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '无', '不是'])

export function toBoolean(v: Plain): boolean | undefined {
  if (typeof v === 'boolean') return v
  const s = String(v).normalize('NFKC').trim().toLowerCase()
  return YES.has(s) ? true : NO.has(s) ? false : undefined
}

/** Text of a cell: numbers without a trailing `.0` or exponent (employee numbers, phones). */
export function toText(v: Plain): string {
  if (typeof v === 'string') return v
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v).toString()
  return String(v)
}

/** Items of a multi-value cell: 、 , ， ; ； or new lines between them. */
export function splitList(s: string): string[] {
  return s
    .split(/[、,，;；\n\r]+/)
    .map((x) => x.trim())
    .filter(Boolean)
}
