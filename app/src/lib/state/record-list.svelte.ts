import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { SvelteSet } from 'svelte/reactivity'
import { handleError } from '$lib/api/handle-error'
import {
  emptyGroup,
  fromQuery,
  toQuery,
  type FilterField,
  type FilterGroup
} from '$lib/components/filters/filter-query'
import {
  defaultColumns,
  listableColumns,
  type Collection,
  type RecordDoc
} from '$lib/components/records/fields'
import { listRecords, type RecordPage } from '$lib/services/records.service'

export type Sort = Record<string, 1 | -1>

/** What a list URL carries: `?q=<filter JSON>&sort=name:-1&page=2&view=<id>`. */
export interface ListParams {
  filter: Record<string, unknown>
  sort: Sort | null
  page: number
  view: string | null
}

export function readParams(url: URL): ListParams {
  let filter: Record<string, unknown> = {}
  try {
    const q = url.searchParams.get('q')
    if (q) filter = JSON.parse(q) as Record<string, unknown>
  } catch {
    filter = {}
  }
  const s = url.searchParams.get('sort')?.split(':')
  const sort = s && s[0] ? ({ [s[0]]: s[1] === '-1' ? -1 : 1 } as Sort) : null
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  return { filter, sort, page, view: url.searchParams.get('view') }
}

export function writeParams(url: URL, p: ListParams): URL {
  const out = new URL(url)
  const set = (k: string, v: string | null) => (v ? out.searchParams.set(k, v) : out.searchParams.delete(k))
  set('q', Object.keys(p.filter).length ? JSON.stringify(p.filter) : null)
  const [field, dir] = Object.entries(p.sort ?? {})[0] ?? []
  set('sort', field ? `${field}:${dir}` : null)
  set('page', p.page > 1 ? String(p.page) : null)
  set('view', p.view)
  return out
}

const PAGE_SIZE = 20

/**
 * One list of records: its filter tree, sort, columns, the page shown and the selection.
 * Pages by number while the total is exact; a big table (estimated total) grows with
 * "load more" through the keyset cursor instead.
 */
export class RecordListState {
  readonly collection: Collection
  readonly form: FormDefinition
  readonly fields: FilterField[]
  filter = $state<FilterGroup>(emptyGroup())
  /** The filter of the rows shown (the builder may hold an edit not applied yet). */
  applied = $state<Record<string, unknown>>({})
  sort = $state<Sort | null>(null)
  columns = $state<string[]>([])
  page = $state(1)
  view = $state<string | null>(null)
  rows = $state<RecordDoc[]>([])
  total = $state(0)
  count = $state<RecordPage['count']>('exact')
  next = $state<string | null>(null)
  loading = $state(false)
  failed = $state(false)
  /** Records created elsewhere since the last load (offered as a refresh). */
  fresh = $state(0)
  readonly selected = new SvelteSet<string>()
  allMatching = $state(false)
  #asked = 0

  constructor(collection: Collection, form: FormDefinition, fields: FilterField[], params: ListParams) {
    this.collection = collection
    this.form = form
    this.fields = fields
    this.filter = fromQuery(params.filter)
    this.applied = params.filter
    this.sort = params.sort
    this.page = params.page
    this.view = params.view
    this.columns = this.#storedColumns() ?? defaultColumns(form)
  }

  get pageSize(): number {
    return this.form.list?.pageSize ?? PAGE_SIZE
  }

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / this.pageSize))
  }

  /** Whether the list grows by keyset ("load more") rather than by page numbers. */
  get keyset(): boolean {
    return this.count === 'estimated'
  }

  get params(): ListParams {
    return { filter: this.applied, sort: this.sort, page: this.page, view: this.view }
  }

  get effectiveSort(): Sort {
    return this.sort ?? this.form.list?.sort ?? this.collection.defaultSort ?? {}
  }

  query(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const sort = this.effectiveSort
    return {
      ...this.applied,
      ...(Object.keys(sort).length ? { $sort: sort } : {}),
      $limit: this.pageSize,
      $count: 'estimated',
      ...extra
    }
  }

  async load(): Promise<void> {
    const mine = ++this.#asked
    this.loading = true
    try {
      const page = await listRecords(
        this.collection.path,
        this.query({ $skip: (this.page - 1) * this.pageSize })
      )
      if (mine !== this.#asked) return
      this.rows = page.data
      this.total = page.total
      this.count = page.count ?? 'exact'
      this.next = page.next ?? null
      this.fresh = 0
      this.failed = false
    } catch (error) {
      if (mine !== this.#asked) return
      this.failed = true
      handleError(error, 'records.errors.load')
    } finally {
      if (mine === this.#asked) this.loading = false
    }
  }

  /** The next keyset page, appended. */
  async loadMore(): Promise<void> {
    if (!this.next || this.loading) return
    this.loading = true
    try {
      const page = await listRecords(this.collection.path, this.query({ $after: this.next, $count: 'none' }))
      this.rows = [...this.rows, ...page.data.filter((r) => !this.rows.some((x) => x.id === r.id))]
      this.next = page.next ?? null
    } catch (error) {
      handleError(error, 'records.errors.load')
    } finally {
      this.loading = false
    }
  }

  /** Applies the builder's filter: back to the first page, selection cleared. */
  applyFilter(): void {
    this.applied = toQuery(this.filter, this.fields)
    this.page = 1
    this.clearSelection()
  }

  setFilterQuery(query: Record<string, unknown>): void {
    this.filter = fromQuery(query)
    this.applied = query
    this.page = 1
    this.clearSelection()
  }

  /** A header click: ascending, then descending, then the default order. */
  toggleSort(field: string): void {
    const dir = this.sort?.[field]
    this.sort = dir === 1 ? { [field]: -1 } : dir === -1 ? null : { [field]: 1 }
    this.page = 1
  }

  setColumns(columns: string[]): void {
    const allowed = listableColumns(this.form)
    this.columns = columns.filter((c) => allowed.includes(c))
    try {
      localStorage.setItem(this.#columnsKey, JSON.stringify(this.columns))
    } catch {
      // storage refused: the choice lasts for this page
    }
  }

  toggleRow(id: string, on: boolean): void {
    this.allMatching = false
    if (on) this.selected.add(id)
    else this.selected.delete(id)
  }

  togglePage(on: boolean): void {
    this.allMatching = false
    for (const r of this.rows) {
      if (on) this.selected.add(r.id)
      else this.selected.delete(r.id)
    }
  }

  clearSelection(): void {
    this.selected.clear()
    this.allMatching = false
  }

  /** How many rows a batch would touch. */
  get selectionCount(): number {
    return this.allMatching ? this.total : this.selected.size
  }

  /** The batch target: the chosen ids, or every row matching the applied filter. */
  batchTarget(): { ids: string[] } | { filter: Record<string, unknown> } {
    return this.allMatching ? { filter: this.applied } : { ids: [...this.selected] }
  }

  /** A real-time event: a visible row changes or leaves at once; new rows are offered. */
  receive(event: 'created' | 'patched' | 'removed', record: RecordDoc): void {
    const index = this.rows.findIndex((r) => r.id === record.id)
    if (event === 'created') {
      if (index < 0) this.fresh++
    } else if (index >= 0 && event === 'removed') {
      this.rows = this.rows.filter((r) => r.id !== record.id)
      this.total = Math.max(0, this.total - 1)
      this.selected.delete(record.id)
    } else if (index >= 0) {
      this.rows[index] = record
    }
  }

  get #columnsKey(): string {
    return `medaffairs.columns.${this.collection.name}`
  }

  #storedColumns(): string[] | null {
    try {
      const saved = JSON.parse(localStorage.getItem(this.#columnsKey) ?? 'null') as unknown
      const allowed = listableColumns(this.form)
      return Array.isArray(saved) && saved.length
        ? saved.filter((c): c is string => allowed.includes(c))
        : null
    } catch {
      return null
    }
  }
}
