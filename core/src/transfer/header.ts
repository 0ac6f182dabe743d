import { toText } from './cells.js'
import type { Column } from './columns.js'
import { norm } from './lookups.js'
import type { SheetRow } from './read-rows.js'

export interface HeaderMap {
  /** The column each cell index feeds, if any. */
  byIndex: Array<Column | undefined>
  /** Rows taken as header (1, or 2 with the template's hidden row of field names). */
  headerRows: number
  /** Header texts that name no importable field (their cells are ignored). */
  ignored: string[]
  /** Required fields that no column feeds. */
  missing: Column[]
}

const clean = (s: string) => s.replace(/^[*＊\s]+|[*＊\s]+$/g, '')

function matcher(columns: Column[]) {
  const byName = new Map(columns.map((c) => [c.name, c]))
  const byLabel = new Map<string, Column>()
  for (const c of columns) for (const l of [c.labelEn, c.label]) if (l) byLabel.set(norm(l), c)
  return {
    name: (text: string) => byName.get(text),
    any: (text: string) => byName.get(text) ?? byLabel.get(norm(text))
  }
}

/** The template's second row holds field names: most of its cells name a field exactly. */
function isNameRow(row: SheetRow | undefined, name: (t: string) => Column | undefined): boolean {
  if (!row) return false
  const texts = row.cells.filter((c) => c !== undefined).map((c) => toText(c))
  const named = texts.filter((t) => name(t)).length
  return named > 0 && named * 2 >= texts.length
}

/**
 * Maps header cells to fields: by field name (the template's hidden second row), else by
 * label (zh-CN or en-US, a leading `*` of required columns ignored), so that a template, an
 * export of the same collection and a hand-made sheet all import.
 */
export function mapHeader(first: SheetRow, second: SheetRow | undefined, columns: Column[]): HeaderMap {
  const m = matcher(columns)
  const names = isNameRow(second, m.name) ? second : undefined
  const width = Math.max(first.cells.length, names?.cells.length ?? 0)
  const byIndex: Array<Column | undefined> = []
  const used = new Set<string>()
  const ignored: string[] = []
  for (let i = 0; i < width; i++) {
    const name = names?.cells[i] === undefined ? undefined : toText(names.cells[i]!)
    const label = first.cells[i] === undefined ? undefined : clean(toText(first.cells[i]!))
    const col = (name !== undefined ? m.name(name) : undefined) ?? (label ? m.any(label) : undefined)
    // A field fed by two columns would make the result depend on column order: the first wins.
    if (col && !used.has(col.name)) {
      used.add(col.name)
      byIndex[i] = col
    } else if (label || name) ignored.push(label || name!)
  }
  const missing = columns.filter((c) => c.required && !used.has(c.name))
  return { byIndex, headerRows: names ? 2 : 1, ignored, missing }
}
