import { once } from 'node:events'
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { ColumnKind } from './columns.js'
import type { CellValue } from './render.js'

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

const DATE_FORMAT: Partial<Record<ColumnKind, string>> = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm:ss' }

function widthOf(c: OutColumn): number {
  if (c.width) return c.width
  // CJK characters take two columns of width.
  const header = [...c.header].reduce((n, ch) => n + (ch.charCodeAt(0) > 255 ? 2 : 1), 0)
  return Math.min(60, Math.max(header + 4, c.kind === 'datetime' ? 20 : c.kind === 'date' ? 12 : 10))
}

async function drained(stream: Writable): Promise<void> {
  if (stream.writableNeedDrain) await once(stream, 'drain')
}

/**
 * exceljs's sheet stream hands its bytes to the zip's deflate stream without heeding the
 * deflate stream's backpressure: when compressing is slower than rendering rows, the
 * uncompressed XML piles up in memory (a million-row export grew by well over 100 MB). The
 * sink waits for that stream too, not only for the file at the end.
 */
async function zipDrained(ws: unknown): Promise<void> {
  const sheetStream = (ws as { stream?: { pipes?: Writable[] } }).stream
  for (const next of sheetStream?.pipes ?? []) if (next.writableNeedDrain) await once(next, 'drain')
}

/** An .xlsx written row by row by exceljs's streaming writer (inline strings: no table to hold). */
export function xlsxSink(stream: Writable, sheetName: string, columns: OutColumn[], headerRows: CellValue[][] = []): RowSink {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } })
  const ws = wb.addWorksheet(sheetName.slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 + headerRows.length }] })
  ws.columns = columns.map((c, i) => ({ key: String(i), width: widthOf(c), style: DATE_FORMAT[c.kind] ? { numFmt: DATE_FORMAT[c.kind] } : {} }))
  const header = ws.addRow(columns.map((c) => c.header))
  header.font = { bold: true }
  header.commit()
  // Extra header rows (the template's field names) stay hidden, as in the template.
  for (const extra of headerRows) {
    const row = ws.addRow(extra)
    row.hidden = true
    row.commit()
  }
  return {
    async add(rows) {
      for (const r of rows) ws.addRow(r).commit()
      await zipDrained(ws)
      await drained(stream)
    },
    async close() {
      ws.commit()
      await wb.commit()
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Dates were rendered as wall-clock values in UTC (see render.ts): printed with the UTC getters. */
function csvDate(d: Date, kind: ColumnKind): string {
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  return kind === 'datetime' ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` : day
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
