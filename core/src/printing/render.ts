import PDFDocument from 'pdfkit'
import type { PrintBlock, PrintDocument } from '@medaffairs/plugin-sdk'
import type { CjkFont } from './font.js'

type Pdf = PDFKit.PDFDocument
const MARGIN = 50
const LINE = 0.8
const PAD = 4
const SHADE = '#f0f0f0'

const width = (doc: Pdf) => doc.page.width - 2 * MARGIN
const bottom = (doc: Pdf) => doc.page.height - MARGIN - 20

function ensureRoom(doc: Pdf, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage()
}

/** A bordered cell with wrapped text; returns nothing, the caller advances rows. */
function cell(doc: Pdf, x: number, y: number, w: number, h: number, text: string, shaded = false): void {
  if (shaded) doc.rect(x, y, w, h).fill(SHADE).fillColor('black')
  doc.lineWidth(LINE).rect(x, y, w, h).stroke()
  doc.text(text, x + PAD, y + PAD, { width: w - 2 * PAD })
}

const textHeight = (doc: Pdf, text: string, w: number) =>
  doc.heightOfString(text || ' ', { width: w - 2 * PAD }) + 2 * PAD

/** A row of cells sized to the tallest one, on a new page when it does not fit. */
function row(doc: Pdf, widths: number[], texts: string[], shaded: boolean[] = []): void {
  const h = Math.max(...texts.map((t, i) => textHeight(doc, t, widths[i])))
  ensureRoom(doc, h)
  const y = doc.y
  let x = MARGIN
  texts.forEach((t, i) => {
    cell(doc, x, y, widths[i], h, t, shaded[i])
    x += widths[i]
  })
  doc.x = MARGIN
  doc.y = y + h
}

function fields(doc: Pdf, block: Extract<PrintBlock, { kind: 'fields' }>): void {
  const columns = block.columns ?? 2
  const pair = width(doc) / columns
  const widths = Array.from({ length: columns }, () => [pair * 0.38, pair * 0.62]).flat()
  for (let i = 0; i < block.items.length; i += columns) {
    const items = block.items.slice(i, i + columns)
    while (items.length < columns) items.push({ label: '', value: '' })
    row(
      doc,
      widths,
      items.flatMap((it) => [it.label, it.value]),
      items.flatMap(() => [true, false])
    )
  }
}

function table(doc: Pdf, block: Extract<PrintBlock, { kind: 'table' }>): void {
  const total = block.widths?.reduce((a, b) => a + b, 0) ?? block.headers.length
  const widths = block.headers.map((_, i) => (width(doc) * (block.widths?.[i] ?? 1)) / total)
  row(
    doc,
    widths,
    block.headers,
    block.headers.map(() => true)
  )
  for (const r of block.rows) {
    if (doc.y + textHeight(doc, r.join(' '), width(doc)) > bottom(doc)) {
      doc.addPage()
      row(
        doc,
        widths,
        block.headers,
        block.headers.map(() => true)
      )
    }
    row(doc, widths, r)
  }
  if (!block.rows.length) row(doc, [width(doc)], ['（无 / none）'])
}

function box(doc: Pdf, block: Extract<PrintBlock, { kind: 'box' }>): void {
  row(doc, [width(doc)], [block.label], [true])
  const h = Math.max(block.minHeight ?? 60, textHeight(doc, block.text, width(doc)))
  ensureRoom(doc, h)
  const y = doc.y
  cell(doc, MARGIN, y, width(doc), h, block.text)
  doc.x = MARGIN
  doc.y = y + h
}

function block(doc: Pdf, b: PrintBlock): void {
  doc.fontSize(10)
  if (b.kind === 'heading') {
    ensureRoom(doc, 40)
    doc
      .moveDown(0.6)
      .fontSize(12)
      .text(b.text, MARGIN, doc.y, { width: width(doc) })
      .moveDown(0.3)
  } else if (b.kind === 'fields') fields(doc, b)
  else if (b.kind === 'table') table(doc, b)
  else if (b.kind === 'box') box(doc, b)
  else doc.text(b.text, MARGIN, doc.y, { width: width(doc) }).moveDown(0.3)
}

function signatures(doc: Pdf, labels: string[]): void {
  ensureRoom(doc, 40 * labels.length + 20)
  doc.moveDown(1.5).fontSize(10)
  for (const label of labels)
    doc
      .text(`${label}：____________________    日期：______年____月____日`, MARGIN, doc.y, {
        width: width(doc)
      })
      .moveDown(1.2)
}

function footers(doc: Pdf, footer: string | undefined): void {
  const range = doc.bufferedPageRange()
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i)
    const text = `${footer ? `${footer}    ` : ''}第 ${i + 1} 页 / 共 ${range.count} 页`
    doc
      .fontSize(8)
      .text(text, MARGIN, doc.page.height - MARGIN, { width: width(doc), align: 'center', lineBreak: false })
  }
}

/** Lays a PrintDocument out on A4 and returns the PDF bytes. */
export function renderPdf(printable: PrintDocument, font: CjkFont): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: printable.title, Creator: 'MedAffairs' }
  })
  doc.registerFont('cjk', font.path, font.family)
  doc.font('cjk')
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.fontSize(18).text(printable.title, { align: 'center' })
  if (printable.subtitle) doc.fontSize(10).moveDown(0.3).text(printable.subtitle, { align: 'center' })
  doc.moveDown(1)
  for (const b of printable.blocks) block(doc, b)
  if (printable.signatures?.length) signatures(doc, printable.signatures)
  footers(doc, printable.footer)
  doc.end()
  return done
}
