import type { Readable } from 'node:stream'
import type { RowError } from '@medaffairs/plugin-sdk'
import type { FileRow, FileStore } from '../files/store.js'
import type { HeaderMap } from './header.js'
import { createOutput, fileName } from './output.js'
import { isBlank, readRows, XLSX_MIME, type SheetFormat } from './read-rows.js'
import type { CellValue } from './render.js'
import { xlsxSink } from './sinks.js'

export const ERROR_COLUMN = '导入错误 (import errors)'

/** Errors of each row as one cell's text: `论文题目：必填 (required)；发表时间：应为日期…`. */
export function errorsByRow(errors: RowError[]): Map<number, string> {
  const out = new Map<number, string[]>()
  for (const e of errors) {
    const list = out.get(e.row) ?? []
    list.push(e.label ? `${e.label}：${e.reason}` : e.reason)
    out.set(e.row, list)
  }
  return new Map([...out].map(([row, list]) => [row, list.join('；')]))
}

export interface ReportInput {
  source: () => Promise<Readable>
  format: SheetFormat
  charset?: 'utf-8' | 'gb18030'
  header: HeaderMap
  errors: RowError[]
  /** All rows (nothing was imported: the whole file is to be fixed) or only the refused ones. */
  onlyFailed: boolean
  label: string
  ownerId: string
}

/**
 * The validation report as a workbook: the uploaded sheet's header, its rows (all, or only the
 * refused ones) with their cells as they were, and an error column last. Fixed and uploaded
 * again, it imports like the original: the error column names no field and is ignored.
 */
export async function writeReport(store: FileStore, input: ReportInput): Promise<FileRow> {
  const byRow = errorsByRow(input.errors)
  const output = await createOutput(
    store,
    fileName(input.label, '_导入报告', 'xlsx'),
    XLSX_MIME,
    input.ownerId
  )
  try {
    const rows = readRows(input.source, input.format, input.charset)
    const head: CellValue[][] = []
    let sink: ReturnType<typeof xlsxSink> | undefined
    let width = 0
    for await (const row of rows) {
      const cells = row.cells.map((c) => (c === undefined ? null : c))
      if (!head.length && isBlank(row)) continue
      if (head.length < input.header.headerRows) {
        head.push(cells)
        if (head.length < input.header.headerRows) continue
        width = Math.max(...head.map((h) => h.length), input.header.byIndex.length)
        const columns = Array.from({ length: width }, (_, i) => ({
          header: String(head[0][i] ?? ''),
          kind: input.header.byIndex[i]?.kind ?? 'text'
        }))
        sink = xlsxSink(
          output.stream,
          '导入报告',
          [...columns, { header: ERROR_COLUMN, kind: 'text', width: 60 }],
          head.slice(1)
        )
        continue
      }
      const error = byRow.get(row.number)
      if (!sink || (input.onlyFailed && !error)) continue
      const padded = Array.from({ length: width }, (_, i) => cells[i] ?? null)
      await sink.add([[...padded, error ?? null]])
    }
    await sink?.close()
  } catch (error) {
    await output.discard()
    throw error
  }
  return output.save()
}
