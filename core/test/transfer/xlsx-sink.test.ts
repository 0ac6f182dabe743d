import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readRows } from '../../src/transfer/read-rows.js'
import type { CellValue } from '../../src/transfer/render.js'
import { xlsxSink, type OutColumn } from '../../src/transfer/sinks.js'

const COLUMNS: OutColumn[] = [
  { header: '文本 (text)', kind: 'text' },
  { header: '日期', kind: 'date' },
  { header: '时间', kind: 'datetime' },
  { header: '分数', kind: 'number' },
  { header: '在岗', kind: 'boolean' },
  { header: '备注', kind: 'text', width: 60 }
]
const LONG_CHINESE = '医务处关于加强临床路径管理的通知。'.repeat(400)
const DAY = new Date(Date.UTC(2024, 2, 1))
const INSTANT = new Date(Date.UTC(2024, 2, 1, 8, 30, 15))
const ROWS: CellValue[][] = [
  [`a<b>&"c"'d'`, DAY, INSTANT, 87.5, true, 'x\u0001y\u001Fz\uFFFE!\uD83D'],
  ['emoji 🩺😀', null, null, -3, false, LONG_CHINESE],
  [null, null, null, 0, null, '  spaced  '],
  ['line one\nline two', DAY, INSTANT, 1e-7, true, null]
]
const HIDDEN_ROW: CellValue[] = ['text', 'day', 'at', 'score', 'active', 'remark']

let dir: string
let file: string

async function write(
  path: string,
  name: string,
  columns: OutColumn[],
  rows: CellValue[][],
  headerRows: CellValue[][] = []
): Promise<void> {
  const out = createWriteStream(path)
  const sink = xlsxSink(out, name, columns, headerRows)
  await sink.add(rows)
  await sink.close()
  await finished(out)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-sink-test-'))
  file = join(dir, 'kinds.xlsx')
  await write(file, '人员导出：测试/草稿 [2024] 很长很长很长很长很长很长很长的工作表名称', COLUMNS, ROWS, [
    HIDDEN_ROW
  ])
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('xlsx sink', () => {
  it('writes every kind of cell so that exceljs reads the same values and types back', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.worksheets[0]
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1)
    expect(values(1)).toEqual(COLUMNS.map((c) => c.header))
    expect(values(2)).toEqual(HIDDEN_ROW)
    expect(values(3)).toEqual([`a<b>&"c"'d'`, DAY, INSTANT, 87.5, true, 'xyz!'])
    expect(values(4)).toEqual(['emoji 🩺😀', undefined, undefined, -3, false, LONG_CHINESE])
    expect(values(5)).toEqual([undefined, undefined, undefined, 0, undefined, '  spaced  '])
    expect(values(6)).toEqual(['line one\nline two', DAY, INSTANT, 1e-7, true])
    expect(ws.getCell('B3').type).toBe(ExcelJS.ValueType.Date)
    expect(ws.getCell('C3').type).toBe(ExcelJS.ValueType.Date)
    expect(ws.getCell('D3').type).toBe(ExcelJS.ValueType.Number)
    expect(ws.getCell('E3').type).toBe(ExcelJS.ValueType.Boolean)
    expect(ws.getCell('A3').type).toBe(ExcelJS.ValueType.String)
  })

  it('keeps the sheet name, widths, date formats, the bold frozen header and the hidden header rows', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.worksheets[0]
    // Excel refuses `/ [ ]` (and `: * ? \\`) in a sheet name, and names longer than 31 characters.
    expect(ws.name).toBe('人员导出：测试_草稿 _2024_ 很长很长很长很长很长很长很')
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 })
    expect(ws.getCell('B3').numFmt).toBe('yyyy-mm-dd')
    expect(ws.getCell('C3').numFmt).toBe('yyyy-mm-dd hh:mm:ss')
    expect(ws.getColumn(2).numFmt).toBe('yyyy-mm-dd')
    expect(ws.getColumn(1).width).toBe(15)
    expect(ws.getColumn(6).width).toBe(60)
    for (let c = 1; c <= COLUMNS.length; c++)
      expect(ws.getRow(1).getCell(c).font?.bold, `header ${c}`).toBe(true)
    expect(ws.getCell('A3').font?.bold).toBeFalsy()
    expect(ws.getRow(1).hidden).toBe(false)
    expect(ws.getRow(2).hidden).toBe(true)
    expect(ws.getRow(3).hidden).toBe(false)
  })

  it('reads back through the import reader (streamed), dates as dates', async () => {
    const rows = []
    for await (const row of readRows(() => createReadStream(file), 'xlsx')) rows.push(row)
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6])
    expect(rows[2].cells).toEqual([`a<b>&"c"'d'`, DAY, INSTANT, 87.5, true, 'xyz!'])
    expect(rows[3].cells[5]).toBe(LONG_CHINESE)
  })

  it('gives a date in a column without a date format a date or date-time format by its time of day', async () => {
    const path = join(dir, 'plain-dates.xlsx')
    await write(path, 'x', [{ header: 'a', kind: 'text' }], [[DAY], [INSTANT]])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path)
    const ws = wb.worksheets[0]
    expect([ws.getCell('A2').value, ws.getCell('A3').value]).toEqual([DAY, INSTANT])
    expect([ws.getCell('A2').numFmt, ws.getCell('A3').numFmt]).toEqual(['yyyy-mm-dd', 'yyyy-mm-dd hh:mm:ss'])
  })

  it('writes page by page as the stream takes the bytes: add() waits for a slow stream', async () => {
    const path = join(dir, 'large.xlsx')
    const file = createWriteStream(path)
    let received = 0
    // A slow destination: each chunk reaches the file a tick later.
    const out = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _enc, done) {
        received += chunk.length
        setImmediate(() => file.write(chunk, done))
      },
      final(done) {
        file.end(done)
      }
    })
    const sink = xlsxSink(out, 'large', COLUMNS)
    // Text that compresses poorly, so that the file is several megabytes.
    const noise = (i: number) =>
      Array.from({ length: 40 }, (_, k) => ((i * 7919 + k * 104_729) % 65_521).toString(36)).join('')
    for (let p = 0; p < 20; p++) {
      await sink.add(
        Array.from({ length: 1000 }, (_, k): CellValue[] => [
          `行${p * 1000 + k}`,
          DAY,
          INSTANT,
          k,
          k % 2 === 0,
          noise(p * 1000 + k)
        ])
      )
      expect(out.writableNeedDrain).toBe(false)
    }
    const beforeClose = received
    await sink.close()
    await finished(file)
    expect(file.bytesWritten).toBeGreaterThan(2_000_000)
    // Each add() waited for its rows to be compressed and taken: little was left for close().
    expect(beforeClose).toBeGreaterThan(file.bytesWritten * 0.8)
    let count = 0
    let last: unknown[] = []
    for await (const row of readRows(() => createReadStream(path), 'xlsx')) {
      count++
      last = row.cells
    }
    expect(count).toBe(20_001)
    expect(last).toEqual(['行19999', DAY, INSTANT, 999, false, noise(19_999)])
  })
})
