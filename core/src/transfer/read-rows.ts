import { Transform, type Readable } from 'node:stream'
import { BadRequest } from '@feathersjs/errors'
import { parse } from '@fast-csv/parse'
import ExcelJS from './excel.js'
import { plainCell, type Plain } from './cells.js'

export type SheetFormat = 'xlsx' | 'csv'

/** One row of the uploaded sheet: its 1-based number as the user sees it, and its cells from column A. */
export interface SheetRow {
  number: number
  cells: Array<Plain | undefined>
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const CSV_MIME = 'text/csv'

/**
 * The format of a stored upload, by its sniffed MIME type (never by its name). A zip is read
 * as a workbook too: file-type looks at the first entries only, and some streaming writers
 * (exceljs's, which wrote our exports until 2026-11) put the worksheet before the parts that
 * mark a zip as .xlsx.
 */
export function formatOf(mime: string): SheetFormat | undefined {
  if (mime === XLSX_MIME || mime === 'application/zip') return 'xlsx'
  if (mime.split(';')[0].trim() === CSV_MIME || mime.startsWith('text/plain')) return 'csv'
  return undefined
}

/**
 * Rows of the first worksheet, streamed: exceljs's reader holds one row at a time (plus the
 * shared strings table), so a 100 000-row workbook does not sit in memory. Styles are read
 * so that date-formatted cells arrive as dates.
 */
async function* xlsxRows(source: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore'
  })
  let first = true
  for await (const sheet of reader) {
    // Only the first worksheet holds data (templates put their instructions after it); the
    // others are read through so that the zip stream ends instead of being cut mid-entry.
    if (!first) {
      for await (const _row of sheet) void _row
      continue
    }
    first = false
    for await (const row of sheet) {
      const values = row.values as unknown[]
      const cells: Array<Plain | undefined> = []
      for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]))
      yield { number: row.number, cells }
    }
  }
  if (first) throw new BadRequest('文件中没有工作表，不是有效的 .xlsx 文件 (not a workbook with a worksheet)')
}

/** The charset of a stored CSV upload (the files module keeps the one it read the bytes in). */
export function charsetOf(mime: string): 'utf-8' | 'gb18030' {
  return /;\s*charset=gb18030/i.test(mime) ? 'gb18030' : 'utf-8'
}

/** GB18030 (Excel's "CSV" on Chinese Windows) to UTF-8, chunk by chunk. */
function fromGb18030(): Transform {
  const decoder = new TextDecoder('gb18030')
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'))
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'))
    }
  })
}

/** Drops a UTF-8 byte order mark (Excel writes one into "CSV UTF-8" files). */
function stripBom(): Transform {
  let first = true
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (first) {
        first = false
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3)
      }
      done(null, chunk)
    }
  })
}

async function* csvRows(source: Readable, charset: 'utf-8' | 'gb18030'): AsyncGenerator<SheetRow> {
  const text = charset === 'gb18030' ? source.pipe(fromGb18030()) : source
  const parser = text.pipe(stripBom()).pipe(parse({ headers: false, ignoreEmpty: false, trim: false }))
  let number = 0
  for await (const record of parser as AsyncIterable<string[]>) {
    number++
    yield { number, cells: record.map((c) => plainCell(c)) }
  }
}

/** Opens the stored file from its start (again, if a read has to be repeated). */
export type OpenSource = () => Readable | Promise<Readable>

/**
 * exceljs's streaming reader can lose the small `xl/workbook.xml` part under load (its stream
 * helper starts listening late) and then fails on `this.model.sheets`. Nothing has been read
 * by then (worksheets wait for that part), so the file is read again from its start.
 */
const lostWorkbookPart = (error: unknown) =>
  error instanceof TypeError && /reading 'sheets'/.test(error.message)
const XLSX_READS = 3

async function* xlsxRowsRetried(open: OpenSource): AsyncGenerator<SheetRow> {
  for (let attempt = 1; ; attempt++) {
    const source = await open()
    let yielded = false
    try {
      for await (const row of xlsxRows(source)) {
        yielded = true
        yield row
      }
      return
    } catch (error) {
      source.destroy()
      if (yielded || !lostWorkbookPart(error)) throw error
      if (attempt === XLSX_READS)
        throw new BadRequest(
          '无法读取工作簿的结构，请用 Excel 重新保存后再试 (the workbook part could not be read)'
        )
    }
  }
}

export function readRows(
  open: OpenSource,
  format: SheetFormat,
  charset: 'utf-8' | 'gb18030' = 'utf-8'
): AsyncGenerator<SheetRow> {
  if (format === 'xlsx') return xlsxRowsRetried(open)
  return (async function* () {
    yield* csvRows(await open(), charset)
  })()
}

export const isBlank = (row: SheetRow) => row.cells.every((c) => c === undefined)
