import { BadRequest, Conflict, Forbidden, GeneralError } from '@feathersjs/errors'
import type { RowError } from '@medaffairs/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { plainCell, toBoolean, toDate, toNumber, toText } from '../../src/transfer/cells.js'
import type { Column } from '../../src/transfer/columns.js'
import { mapHeader } from '../../src/transfer/header.js'
import type { PreparedRow } from '../../src/transfer/prepare.js'
import { csvField } from '../../src/transfer/sinks.js'
import { ChunkWriter } from '../../src/transfer/write.js'

const col = (name: string, label: string, required = false): Column => ({
  name,
  label,
  kind: 'text',
  required,
  importable: true,
  exported: true
})

describe('cell values', () => {
  it('reads dates as people and Excel write them', () => {
    for (const v of [
      '2024-03-01',
      '2024/3/1',
      '2024.3.1',
      '2024年3月1日',
      '20240301',
      '２０２４-０３-０１',
      '2024-03-01 08:30',
      new Date(Date.UTC(2024, 2, 1)),
      45352
    ]) {
      expect(toDate(v), String(v)).toBe('2024-03-01')
    }
    for (const v of ['2024-02-30', '三月', '2024-13-01', 0, 'x2024-03-01'])
      expect(toDate(v), String(v)).toBeUndefined()
  })

  it('keeps employee numbers and phones whole, and reads numbers and yes/no', () => {
    expect(toText(13812345678)).toBe('13812345678')
    expect(toText(1001)).toBe('1001')
    expect(toNumber('1,234.5')).toBe(1234.5)
    expect(toNumber('abc')).toBeUndefined()
    expect([toBoolean('是'), toBoolean('否'), toBoolean('Y'), toBoolean(true), toBoolean('也许')]).toEqual([
      true,
      false,
      true,
      true,
      undefined
    ])
  })

  it('flattens rich text, formulas and hyperlinks', () => {
    expect(plainCell({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三')
    expect(plainCell({ formula: 'A1+1', result: 3 })).toBe(3)
    expect(plainCell({ text: '链接', hyperlink: 'http://x' })).toBe('链接')
    expect(plainCell({ error: '#N/A' })).toBeUndefined()
    expect(plainCell('  ')).toBeUndefined()
  })
})

describe('header mapping', () => {
  const columns = [col('title', '论文题目', true), col('journal', '刊物名称'), col('doi', 'DOI')]

  it('maps by the hidden field-name row first, then by labels with or without *', () => {
    const byNames = mapHeader(
      { number: 1, cells: ['*论文题目', '改过的名字', '备注'] },
      { number: 2, cells: ['title', 'journal', undefined] },
      columns
    )
    expect(byNames).toMatchObject({ headerRows: 2, ignored: ['备注'], missing: [] })
    expect([0, 1, 2].map((i) => byNames.byIndex[i]?.name)).toEqual(['title', 'journal', undefined])
    const byLabels = mapHeader(
      { number: 1, cells: ['doi', '＊论文题目'] },
      { number: 2, cells: ['10.1/x', 'A'] },
      columns
    )
    expect(byLabels.headerRows).toBe(1)
    expect(byLabels.byIndex.map((c) => c?.name)).toEqual(['doi', 'title'])
  })

  it('names the required columns that are missing', () => {
    expect(
      mapHeader({ number: 1, cells: ['刊物名称'] }, undefined, columns).missing.map((c) => c.name)
    ).toEqual(['title'])
  })
})

describe('CSV fields', () => {
  it('quotes separators and defuses formulas', () => {
    expect(csvField('a,b', 'text')).toBe('"a,b"')
    expect(csvField('say "hi"', 'text')).toBe('"say ""hi"""')
    expect(csvField('=HYPERLINK("http://evil")', 'text')).toBe(`"'=HYPERLINK(""http://evil"")"`)
    expect(csvField(-5, 'number')).toBe('-5')
    expect(csvField(new Date('2024-03-01T00:00:00Z'), 'date')).toBe('2024-03-01')
    expect(csvField(null, 'text')).toBe('')
  })
})

describe('chunk writer', () => {
  const rows = (n: number): PreparedRow[] =>
    Array.from({ length: n }, (_, i) => ({ row: i + 2, data: { i } }))
  const fail = (row: number, field: string | null, reason: string): RowError => ({
    row,
    field,
    label: field,
    reason
  })

  it('drops the items a validation error names, and writes the rest', async () => {
    const calls: number[] = []
    const writer = new ChunkWriter(async (data) => {
      calls.push(data.length)
      const bad = data.map((d, i) => [d.i, i]).filter(([v]) => v === 1 || v === 3)
      if (bad.length)
        throw new BadRequest('数据校验未通过', {
          errors: bad.map(([, i]) => ({ field: `${i}.title`, reason: '必填 (required)' }))
        })
    }, fail)
    const errors: RowError[] = []
    expect(await writer.write(rows(5), errors)).toBe(3)
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'title'],
      [5, 'title']
    ])
    expect(calls).toEqual([5, 3])
  })

  it('finds refused rows by halving when the refusal names no item', async () => {
    const writer = new ChunkWriter(async (data) => {
      if (data.some((d) => d.i === 6))
        throw new Forbidden('不能在您的权限范围之外创建记录 (outside your data scope)')
      if (data.some((d) => d.i === 2)) throw new Conflict('dup', { fields: ['staffId'] })
    }, fail)
    const errors: RowError[] = []
    expect(await writer.write(rows(8), errors)).toBe(6)
    expect(errors.map((e) => [e.row, e.field, e.reason])).toEqual([
      [4, 'staffId', '与已有记录重复 (duplicates an existing record)'],
      [8, null, '不能在您的权限范围之外创建记录 (outside your data scope)']
    ])
  })

  it('lets a server failure fail the job', async () => {
    const writer = new ChunkWriter(async () => {
      throw new GeneralError('database down')
    }, fail)
    await expect(writer.write(rows(2), [])).rejects.toThrow('database down')
  })
})

describe('reading workbooks', () => {
  it('keeps Chinese text whole across chunk boundaries (inline and shared strings)', async () => {
    const { Readable, PassThrough } = await import('node:stream')
    const ExcelJS = (await import('exceljs')).default
    const { readRows } = await import('../../src/transfer/read-rows.js')
    const text = (i: number) => `${'张王李赵'[i % 4]}医生${i}号：是否男女`
    const shared = new ExcelJS.Workbook()
    const ws = shared.addWorksheet('数据')
    for (let i = 0; i < 20_000; i++) ws.addRow([text(i), i % 2 ? '是' : '否'])
    const inline = new PassThrough()
    const chunks: Buffer[] = []
    inline.on('data', (c: Buffer) => chunks.push(c))
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: inline, useSharedStrings: false })
    const sheet = writer.addWorksheet('数据')
    for (let i = 0; i < 20_000; i++) sheet.addRow([text(i), i % 2 ? '是' : '否']).commit()
    sheet.commit()
    await writer.commit()
    for (const bytes of [Buffer.from(await shared.xlsx.writeBuffer()), Buffer.concat(chunks)]) {
      let n = 0
      for await (const row of readRows(() => Readable.from([bytes]), 'xlsx')) {
        expect(row.cells).toEqual([text(n), n % 2 ? '是' : '否'])
        n++
      }
      expect(n).toBe(20_000)
    }
  })

  it('reads a workbook again when its workbook part came through empty, and says so when it stays empty', async () => {
    const { Readable } = await import('node:stream')
    const ExcelJS = (await import('exceljs')).default
    const JSZip = (await import('jszip')).default
    const { readRows } = await import('../../src/transfer/read-rows.js')
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('数据').addRow(['姓名', '工号'])
    wb.getWorksheet('数据')!.addRow(['张三', 'E1'])
    const good = Buffer.from(await wb.xlsx.writeBuffer())
    // What exceljs's reader sees when it loses that part under load: an empty workbook.xml.
    const zip = await JSZip.loadAsync(good)
    zip.file('xl/workbook.xml', '')
    const lost = await zip.generateAsync({ type: 'nodebuffer' })
    const read = async (files: Buffer[]) => {
      let opened = 0
      const rows: unknown[] = []
      const open = () => Readable.from([files[Math.min(opened++, files.length - 1)]])
      for await (const row of readRows(open, 'xlsx')) rows.push(row.cells)
      return { rows, opened }
    }
    expect(await read([lost, good])).toEqual({
      rows: [
        ['姓名', '工号'],
        ['张三', 'E1']
      ],
      opened: 2
    })
    await expect(read([lost])).rejects.toThrow(/无法读取工作簿的结构/)
  })
})
