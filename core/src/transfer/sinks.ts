import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { ColumnKind } from './columns.js'
import type { CellValue } from './render.js'
import { workbookParts } from './xlsx/parts.js'
import { SheetXml, type DateFormat, type RowOptions } from './xlsx/sheet.js'
import { ZipStream } from './xlsx/zip.js'

/** A column of an output sheet. */
export interface OutColumn {
  header: string
  kind: ColumnKind
  width?: number
}

/** Rows go out as they come: neither writer keeps written rows in memory. */
export interface RowSink {
  /** Adds rows; resolves when the destination can take more (backpressure). */
  add(rows: CellValue[][]): Promise<void>
  close(): Promise<void>
}

/** Date columns get the date format as a column style (see xlsx/parts.ts for the format codes). */
const DATE_FORMAT: Partial<Record<ColumnKind, DateFormat>> = { date: 'date', datetime: 'datetime' }

function widthOf(c: OutColumn): number {
  if (c.width) return c.width
  // CJK characters take two columns of width.
  const header = [...c.header].reduce((n, ch) => n + (ch.charCodeAt(0) > 255 ? 2 : 1), 0)
  return Math.min(60, Math.max(header + 4, c.kind === 'datetime' ? 20 : c.kind === 'date' ? 12 : 10))
}

async function drained(stream: Writable): Promise<void> {
  if (stream.writableNeedDrain) await once(stream, 'drain')
}

const HEADER: RowOptions = { bold: true }
const HIDDEN: RowOptions = { hidden: true }

/**
 * An .xlsx written row by row as XML text, zipped as it goes (see xlsx/): one sheet, a bold
 * header row frozen at the top with the extra header rows (the template's field names)
 * hidden under it, dates as dates, text as inline strings (no table to hold). exceljs built
 * a Row and Cell objects and their styles for every cell, and ran about 6,000 rows/s.
 */
export function xlsxSink(
  stream: Writable,
  sheetName: string,
  columns: OutColumn[],
  headerRows: CellValue[][] = []
): RowSink {
  const zip = new ZipStream(stream)
  for (const [name, text] of workbookParts(sheetName)) zip.addFile(name, text)
  const sheet = new SheetXml(columns.map((c) => ({ width: widthOf(c), format: DATE_FORMAT[c.kind] })))
  // Level 1, as exceljs was set: an export is written once and read once or twice.
  const entry = zip.openEntry('xl/worksheets/sheet1.xml', 1)
  let n = 0
  entry.append(
    sheet.head(1 + headerRows.length) +
      sheet.row(
        ++n,
        columns.map((c) => c.header),
        HEADER
      )
  )
  for (const extra of headerRows) entry.append(sheet.row(++n, extra, HIDDEN))
  return {
    async add(rows) {
      for (const r of rows) entry.append(sheet.row(++n, r))
      await entry.drained()
    },
    async close() {
      entry.append(sheet.tail())
      entry.end()
      await zip.finish()
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Dates were rendered as wall-clock values in UTC (see render.ts): printed with the UTC getters. */
function csvDate(d: Date, kind: ColumnKind): string {
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  return kind === 'datetime'
    ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
    : day
}

/**
 * A CSV field. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets
 * a leading apostrophe: an export must not become a way to plant formulas in a colleague's Excel.
 */
export function csvField(v: CellValue, kind: ColumnKind): string {
  if (v === null || v === undefined) return ''
  let s = v instanceof Date ? csvDate(v, kind) : String(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** CSV in UTF-8 with a byte order mark (so that Excel reads Chinese correctly) and CRLF line ends. */
export function csvSink(stream: Writable, columns: OutColumn[]): RowSink {
  stream.write(`\uFEFF${columns.map((c) => csvField(c.header, 'text')).join(',')}\r\n`)
  return {
    async add(rows) {
      let chunk = ''
      for (const r of rows) chunk += `${r.map((v, i) => csvField(v, columns[i].kind)).join(',')}\r\n`
      if (chunk) stream.write(chunk)
      await drained(stream)
    },
    async close() {
      stream.end()
    }
  }
}
