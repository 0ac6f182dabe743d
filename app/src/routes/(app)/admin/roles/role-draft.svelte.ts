import { ACTIONS } from '$lib/sdk'
import type { Action, CollectionField, CollectionInfo, Grant, Role, Scope } from '$lib/api/types'
import { conditionsFromFilter, filterFromConditions, parseFilterJson, type Condition } from './filter'

/** The pseudo-collection of a grant on every business collection. */
export const ALL = '*'

/** One row of the permission matrix: a grant being edited. */
export interface GrantRow {
  key: number
  collection: string
  actions: Action[]
  scope: Scope
  filterMode: 'builder' | 'json'
  conditions: Condition[]
  filterJson: string
  /** null = every field. */
  readFields: string[] | null
  writeFields: string[] | null
  open: boolean
}

let nextKey = 1

function rowOf(collection: string, grant?: Grant): GrantRow {
  const conditions = conditionsFromFilter(grant?.filter)
  return {
    key: nextKey++,
    collection,
    actions: ACTIONS.filter((a) => grant?.actions.includes(a)),
    scope: grant?.scope ?? 'all',
    filterMode: conditions ? 'builder' : 'json',
    conditions: conditions ?? [],
    filterJson: grant?.filter ? JSON.stringify(grant.filter, null, 2) : '',
    readFields: grant?.readFields ? [...grant.readFields] : null,
    writeFields: grant?.writeFields ? [...grant.writeFields] : null,
    open: !!(grant?.filter || grant?.readFields || grant?.writeFields)
  }
}

/**
 * A role as the editor holds it: names and one matrix row per grant. Every collection (and
 * `*`) has at least one row; a collection may get more rows (different scopes for
 * different actions). Grants on collections not installed here are kept as they are.
 */
export class RoleDraft {
  code = $state('')
  nameZh = $state('')
  nameEn = $state('')
  description = $state('')
  rows = $state<GrantRow[]>([])

  constructor(role: Role | null, collections: CollectionInfo[]) {
    this.code = role?.code ?? ''
    this.nameZh = role?.name['zh-CN'] ?? ''
    this.nameEn = role?.name['en-US'] ?? ''
    this.description = role?.description ?? ''
    const grants = role?.grants ?? []
    const names = [ALL, ...collections.map((c) => c.name)]
    for (const g of grants) if (!names.includes(g.collection)) names.push(g.collection)
    this.rows = names.flatMap((name) => {
      const mine = grants.filter((g) => g.collection === name)
      return mine.length ? mine.map((g) => rowOf(name, g)) : [rowOf(name)]
    })
  }

  addRow(after: GrantRow): void {
    const i = this.rows.findIndex((r) => r.key === after.key)
    this.rows.splice(i + 1, 0, { ...rowOf(after.collection), open: true })
  }

  removeRow(row: GrantRow): void {
    this.rows = this.rows.filter((r) => r.key !== row.key)
  }

  /**
   * The grants to save, or the rows whose custom filter is invalid. `keys[i]` is the row of
   * `grants[i]`, to put the server's `grants.<i>.<field>` errors on the right row.
   */
  toGrants(fieldsOf: (collection: string) => CollectionField[]): {
    grants: Grant[]
    keys: number[]
    invalid: Record<number, string>
  } {
    const grants: Grant[] = []
    const keys: number[] = []
    const invalid: Record<number, string> = {}
    for (const row of this.rows) {
      if (!row.actions.length) continue
      const grant: Grant = {
        collection: row.collection,
        actions: ACTIONS.filter((a) => row.actions.includes(a)),
        scope: row.scope
      }
      if (row.scope === 'custom') {
        const parsed =
          row.filterMode === 'json'
            ? parseFilterJson(row.filterJson)
            : { ok: true as const, value: filterFromConditions(row.conditions, fieldsOf(row.collection)) }
        if (!parsed.ok) invalid[row.key] = parsed.error
        else if (!Object.keys(parsed.value).length) invalid[row.key] = 'roles.filter_empty'
        else grant.filter = parsed.value
      }
      if (row.readFields) grant.readFields = [...row.readFields]
      if (row.writeFields) grant.writeFields = [...row.writeFields]
      grants.push(grant)
      keys.push(row.key)
    }
    return { grants, keys, invalid }
  }
}
