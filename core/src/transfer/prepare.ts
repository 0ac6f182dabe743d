import type { Actor, RowError } from '@medaffairs/plugin-sdk'
import { evaluate, isEmpty } from '../definitions/validate/conditions.js'
import { r, REQUIRED } from '../definitions/validate/messages.js'
import { matchesScope } from '../records/scope-match.js'
import { toText } from './cells.js'
import type { Sheet } from './columns.js'
import { converterFor, type Converter } from './convert.js'
import type { HeaderMap } from './header.js'
import type { Lookups } from './lookups.js'
import type { SheetRow } from './read-rows.js'

type Doc = Record<string, any>

export interface PreparedRow {
  row: number
  data: Doc
}

export const OUTSIDE_SCOPE = r('不在您的权限范围内', 'outside your data scope')

/**
 * Turns sheet rows into records: converts each mapped cell, checks what a row can be
 * checked for without the database (types, options, required fields, conditions), and
 * whether the row would land inside the caller's create scope — the records pipeline refuses
 * such a row too, but only for the whole chunk, without saying which row.
 */
export class RowPreparer {
  private constructor(
    private readonly sheet: Sheet,
    private readonly header: HeaderMap,
    private readonly converters: Map<string, Converter>,
    private readonly lookups: Lookups,
    private readonly actor: Actor,
    private readonly scope: Doc | null
  ) {}

  static async create(
    sheet: Sheet,
    header: HeaderMap,
    lookups: Lookups,
    actor: Actor,
    scope: Doc | null
  ): Promise<RowPreparer> {
    const converters = new Map<string, Converter>()
    for (const col of header.byIndex)
      if (col && !converters.has(col.name)) converters.set(col.name, await converterFor(col, lookups))
    return new RowPreparer(sheet, header, converters, lookups, actor, scope)
  }

  async prepare(rows: SheetRow[]): Promise<{ ok: PreparedRow[]; errors: RowError[] }> {
    await this.lookups.prepareUsers(this.userTexts(rows))
    const ok: PreparedRow[] = []
    const errors: RowError[] = []
    for (const row of rows) {
      const found = this.convert(row)
      if (found.errors.length) errors.push(...found.errors)
      else ok.push({ row: row.number, data: found.data })
    }
    const refused = await this.outsideScope(ok)
    for (const p of refused) errors.push(this.error(p.row, this.sheet.subject ?? null, OUTSIDE_SCOPE))
    return { ok: refused.length ? ok.filter((p) => !refused.includes(p)) : ok, errors }
  }

  private userTexts(rows: SheetRow[]): string[] {
    const out: string[] = []
    this.header.byIndex.forEach((col, i) => {
      if (col?.kind !== 'user') return
      for (const row of rows) if (row.cells[i] !== undefined) out.push(toText(row.cells[i]!))
    })
    return out
  }

  private convert(row: SheetRow): { data: Doc; errors: RowError[] } {
    const data: Doc = {}
    const errors: RowError[] = []
    this.header.byIndex.forEach((col, i) => {
      const cell = row.cells[i]
      if (!col || cell === undefined) return
      const res = this.converters.get(col.name)!(cell)
      if (res.error) errors.push(this.error(row.number, col.name, res.error))
      else data[col.name] = res.value
    })
    for (const col of this.sheet.columns) {
      if (!col.importable || errors.some((e) => e.field === col.name)) continue
      const shown = !col.visible || evaluate(col.visible, data)
      const required = col.required || (col.requiredWhen !== undefined && evaluate(col.requiredWhen, data))
      if (shown && required && isEmpty(data[col.name]))
        errors.push(this.error(row.number, col.name, REQUIRED))
    }
    return { data, errors }
  }

  /** Rows whose owner and department (their subject's, else the caller's) fall outside the scope. */
  private async outsideScope(rows: PreparedRow[]): Promise<PreparedRow[]> {
    if (!this.scope || !rows.length) return []
    const subject = this.sheet.subject
    const people = subject
      ? await this.lookups.usersById(
          rows.map((p) => p.data[subject]).filter((v): v is string => typeof v === 'string')
        )
      : new Map()
    return rows.filter((p) => {
      const person = subject ? people.get(p.data[subject]) : undefined
      const stamped = {
        ...p.data,
        ownerId: person?.id ?? this.actor.id,
        deptId: person ? person.deptId : this.actor.deptId
      }
      return !matchesScope(stamped, this.scope)
    })
  }

  error(row: number, field: string | null, reason: string): RowError {
    const label = field ? (this.sheet.columns.find((c) => c.name === field)?.label ?? field) : null
    return { row, field, label, reason }
  }
}
