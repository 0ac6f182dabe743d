import type { CellValue } from '../render.js'
import { STYLE } from './parts.js'
import { columnLetter, XML_HEAD, xmlText } from './xml.js'

export type DateFormat = 'date' | 'datetime'

export interface SheetColumn {
  width: number
  /** A column style: cells typed in later get it too. */
  format?: DateFormat
}

export interface RowOptions {
  bold?: boolean
  hidden?: boolean
}

/** 1970-01-01 as an Excel serial day (1900 date system, as exceljs writes it). */
const UNIX_EPOCH_SERIAL = 25_569
const DAY_MS = 86_400_000
const STYLE_ATTR = Array.from({ length: 6 }, (_, id) => (id ? ` s="${id}"` : ''))

/** Excel keeps leading and trailing spaces of a text only when told to. */
function inlineText(s: string): string {
  const keep = s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)
  return `<is><t${keep ? ' xml:space="preserve"' : ''}>${xmlText(s)}</t></is>`
}

/** A date in a column with no date format gets one by whether it has a time of day. */
function dateStyle(d: Date, format: number): number {
  return format !== STYLE.plain ? format : d.getTime() % DAY_MS === 0 ? STYLE.date : STYLE.datetime
}

/**
 * The XML of one worksheet, written as strings: the cells exceljs wrote (numbers, booleans
 * `t="b"`, dates as serial numbers with a date format), text as inline strings. Nothing is
 * kept per row or per cell; null cells are left out.
 */
export class SheetXml {
  /** `<c r="B` per column: a cell is that, its row number and its value. */
  private readonly opens: string[]
  private readonly formats: number[]

  constructor(private readonly columns: SheetColumn[]) {
    this.opens = columns.map((_, i) => `<c r="${columnLetter(i + 1)}`)
    this.formats = columns.map((c) => (c.format ? STYLE[c.format] : STYLE.plain))
  }

  /** Everything before the first row: the frozen pane under `frozenRows` rows, column widths and formats. */
  head(frozenRows: number): string {
    const top = `A${frozenRows + 1}`
    const pane = `<pane ySplit="${frozenRows}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/>`
    const cols = this.columns
      .map(
        (c, i) =>
          `<col min="${i + 1}" max="${i + 1}" width="${c.width}"${this.formats[i] ? ` style="${this.formats[i]}"` : ''} customWidth="1"/>`
      )
      .join('')
    return (
      `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      `<sheetViews><sheetView workbookViewId="0">${frozenRows > 0 ? pane : ''}</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>` +
      `${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`
    )
  }

  row(n: number, values: CellValue[], options: RowOptions = {}): string {
    const bold = options.bold ? STYLE.bold : 0
    let xml = `<row r="${n}"${bold ? ` s="${STYLE.bold}" customFormat="1"` : ''}${options.hidden ? ' hidden="1"' : ''}>`
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (v === null || v === undefined) continue
      // Cells past the declared columns (a report's uploaded row may be wider) are plain.
      const format = this.formats[i] ?? STYLE.plain
      const open = `${this.opens[i] ?? `<c r="${columnLetter(i + 1)}`}${n}"`
      if (typeof v === 'string')
        xml += `${open}${STYLE_ATTR[format + bold]} t="inlineStr">${inlineText(v)}</c>`
      else if (typeof v === 'number')
        xml += Number.isFinite(v) ? `${open}${STYLE_ATTR[format + bold]}><v>${v}</v></c>` : ''
      else if (typeof v === 'boolean')
        xml += `${open}${STYLE_ATTR[format + bold]} t="b"><v>${v ? 1 : 0}</v></c>`
      else if (v instanceof Date && !Number.isNaN(v.getTime()))
        xml += `${open}${STYLE_ATTR[dateStyle(v, format) + bold]}><v>${UNIX_EPOCH_SERIAL + v.getTime() / DAY_MS}</v></c>`
    }
    return `${xml}</row>`
  }

  tail(): string {
    return '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  }
}
