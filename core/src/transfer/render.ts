import type { Column } from './columns.js'
import type { DictionaryIndex, Lookups } from './lookups.js'

export type CellValue = string | number | boolean | Date | null

/** Renders one stored value as a spreadsheet cell (dates as dates, codes as labels). */
export type Renderer = (v: unknown) => CellValue

const text = (v: unknown): CellValue =>
  v === null || v === undefined
    ? null
    : Array.isArray(v)
      ? v.map(String).join('、')
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v)

/** `YYYY-MM-DD` as a Date at UTC midnight: the xlsx writer writes it as that calendar day. */
function day(v: unknown): CellValue {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return text(v)
  return new Date(`${v}T00:00:00Z`)
}

/** An instant shown as the server's wall-clock time (Excel has no time zones). */
function instant(v: unknown): CellValue {
  const d = typeof v === 'string' || v instanceof Date ? new Date(v) : undefined
  if (!d || Number.isNaN(d.getTime())) return text(v)
  return new Date(
    Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds())
  )
}

function number(v: unknown): CellValue {
  // A masked number arrives as text (`13*****`): it stays text.
  return typeof v === 'number' ? v : text(v)
}

function optionLabel(col: Column, dict: DictionaryIndex | undefined): (code: unknown) => string {
  if (dict) return (code) => dict.label(String(code))
  const labels = new Map((col.options ?? []).map((o) => [o.value, o.label['zh-CN']]))
  return (code) => labels.get(String(code)) ?? String(code)
}

/** Ids of users a page names in user columns, so that one query loads their names. */
export function userIdsOf(rows: Array<Record<string, unknown>>, columns: Column[]): string[] {
  const ids = new Set<string>()
  for (const col of columns) {
    if (col.kind !== 'user') continue
    for (const row of rows) {
      const v = row[col.name]
      if (typeof v === 'string') ids.add(v)
    }
  }
  return [...ids]
}

/** The renderer of a column; dictionaries and departments are loaded once per job. */
export async function rendererFor(col: Column, lookups: Lookups): Promise<Renderer> {
  const dict = col.dictionary ? await lookups.dictionary(col.dictionary) : undefined
  switch (col.kind) {
    case 'number':
    case 'money':
    case 'score':
    case 'year':
    case 'computed':
      return number
    case 'date':
      return day
    case 'datetime':
      return instant
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? (v ? '是' : '否') : text(v))
    case 'select':
    case 'multiselect': {
      const label = optionLabel(col, dict)
      return (v) =>
        v === null || v === undefined ? null : Array.isArray(v) ? v.map(label).join('、') : label(v)
    }
    case 'cascader':
      return (v) => (Array.isArray(v) && dict ? v.map((c) => dict.label(String(c))).join('/') : text(v))
    case 'user':
      return (v) => {
        const u = typeof v === 'string' ? lookups.userCached(v) : undefined
        return u ? `${u.name}(${u.username})` : text(v)
      }
    case 'department': {
      const names = new Map((await lookups.departments()).map((d) => [d.id, d.name]))
      return (v) => (typeof v === 'string' ? (names.get(v) ?? v) : text(v))
    }
    case 'daterange':
      return (v) => {
        const range = v as { start?: string; end?: string } | null
        return range && typeof range === 'object'
          ? [range.start ?? '', range.end ?? ''].join(' ~ ').trim()
          : text(v)
      }
    case 'file':
    case 'images':
      return (v) => (Array.isArray(v) ? `${v.length}个文件` : text(v))
    default:
      return text
  }
}
