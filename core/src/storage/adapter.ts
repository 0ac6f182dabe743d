import {
  AdapterBase,
  getLimit,
  type AdapterParams,
  type AdapterServiceOptions
} from '@feathersjs/adapter-commons'
import { BadRequest, NotFound } from '@feathersjs/errors'
import type { Id, NullableId, Paginated, Query } from '@feathersjs/feathers'
import type { CollectionDefinition, CountMode, Db, ReadScope } from '@medaffairs/plugin-sdk'
import { countRows, DEFAULT_COUNT_CAP, parseCountMode } from './count.js'
import { encodeCursor, keyText } from './cursor.js'
import { badRequest, guard, inBothLanguages, type ErrorContext } from './errors.js'
import { compileSchema, resolveField, type Schema } from './fields.js'
import { COLUMNS, pickFields, toRecords, type Row } from './records.js'
import { tableName, uniqueFieldsForIndex } from './table.js'
import { parseSelect, translateQuery, type TranslatedQuery } from './translate.js'
import { SqlParams } from './values.js'
import { insertRecords, writeRows, type WriteKind } from './writes.js'

export interface DocumentServiceOptions extends AdapterServiceOptions {
  db: Db
  definition: CollectionDefinition
  /** How lists count their total unless the query says (`$count`); default exact. */
  countMode?: CountMode
  /** The cap of `capped` counts, and the size under which an estimate is made exact. */
  countCap?: number
}

export interface DocumentParams extends AdapterParams {
  /** The acting user; `id` goes to created_by / updated_by / deleted_by. */
  user?: { id?: unknown; [key: string]: unknown }
  /** Recycle bin: see removed rows too (`include`) or only them (`only`). Server-side only. */
  deleted?: 'only' | 'include'
  /** `find` answers the rows' SQL (a ReadScope) instead of the rows. Server-side only. */
  readScope?: boolean
}

/** A record as the services return it (the id property is `id` unless options.id says otherwise). */
export type DocumentRecord = Record<string, any> & { id: string }

export interface DocumentPage<T> extends Paginated<T> {
  /** Cursor for `$after` to get the next page; null on the last page. */
  next: string | null
  count: CountMode
  totalCapped?: boolean
}

/** Where a soft-deleted row is visible: reads choose with params.deleted, writes never see it. */
export function deletedScope(deleted: DocumentParams['deleted']): string {
  if (deleted === 'include') return 'true'
  return deleted === 'only' ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL'
}

/** Ids are text; numbers are accepted (REST and tests use them) as their decimal text. */
export function normalizeId(id: unknown): string | undefined {
  if (typeof id === 'number' && Number.isFinite(id)) return String(id)
  if (typeof id === 'string' && id.length > 0 && id.length <= 256) return id
  return undefined
}

function rejectProtoKeys(value: unknown, depth: number): void {
  if (value === null || typeof value !== 'object' || depth > 64) return
  if (Object.hasOwn(value, '__proto__'))
    throw badRequest('Field name "__proto__" is reserved', '__proto__', 'field-name')
  for (const v of Object.values(value)) rejectProtoKeys(v, depth + 1)
}

const EXTRA_OPERATORS = ['$eq', '$like', '$ilike', '$notlike', '$and']

/**
 * The document adapter: Feathers' internal (hook-less) methods over one collection table.
 * Reads and writes are single statements; errors leave only as Feathers errors.
 */
export class DocumentAdapter<
  Result extends Record<string, any> = DocumentRecord,
  Data = Partial<Result>,
  ServiceParams extends DocumentParams = DocumentParams,
  PatchData = Partial<Data>
> extends AdapterBase<Result, Data, PatchData, ServiceParams, DocumentServiceOptions> {
  constructor(options: DocumentServiceOptions) {
    const pass = (value: unknown) => value
    super({
      id: 'id',
      ...options,
      filters: { ...options.filters, $and: pass, $count: pass, $after: pass },
      operators: [...(options.operators ?? []), ...EXTRA_OPERATORS]
    })
    if (!options.db) throw new Error('DocumentAdapter needs options.db')
    compileSchema(options.definition, this.id)
  }

  get db(): Db {
    return this.options.db
  }

  get definition(): CollectionDefinition {
    return this.options.definition
  }

  get table(): string {
    return tableName(this.options.definition)
  }

  /** Swaps the definition (an admin published a new version); run syncIndexes for its indexes. */
  setDefinition(def: CollectionDefinition): void {
    compileSchema(def, this.id)
    if (def.name !== this.options.definition.name)
      throw new Error(`setDefinition cannot rename ${this.options.definition.name} to ${def.name}`)
    this.options.definition = def
  }

  /**
   * adapter-commons rebuilds the query by assignment, which turns an own `__proto__` key into a
   * prototype change and silently drops that condition; refuse such a query instead.
   */
  override async sanitizeQuery(params: ServiceParams = {} as ServiceParams): Promise<Query> {
    rejectProtoKeys(params.query, 0)
    try {
      return await super.sanitizeQuery(params)
    } catch (error) {
      throw inBothLanguages(error)
    }
  }

  protected schema(): Schema {
    return compileSchema(this.options.definition, this.id)
  }

  protected errorContext(): ErrorContext {
    const def = this.options.definition
    return { uniqueFields: (name) => uniqueFieldsForIndex(def, name) }
  }

  protected translate(params: ServiceParams, bound: unknown[] = []): TranslatedQuery {
    const { filters } = this.getOptions(params)
    return translateQuery(params.query ?? {}, this.schema(), {
      params: bound,
      filters: Object.keys(filters ?? {})
    })
  }

  protected actor(params: ServiceParams): string | null {
    const id = params.user?.id
    return id === undefined || id === null ? null : String(id)
  }

  async _find(
    params?: ServiceParams & { paginate?: { default?: number; max?: number } }
  ): Promise<DocumentPage<Result>>
  async _find(params?: ServiceParams & { paginate: false }): Promise<Result[]>
  async _find(params?: ServiceParams): Promise<DocumentPage<Result> | Result[]>
  async _find(params: ServiceParams = {} as ServiceParams): Promise<DocumentPage<Result> | Result[]> {
    // Here, not in `find`: the encryption wrapper of _find rewrites the query either way.
    if (params.readScope) return guard(async () => this.readScope(params) as never, this.errorContext())
    return guard(() => this.findRows(params), this.errorContext())
  }

  /** The rows a find would reach, as SQL for an aggregate; no row is read. */
  private readScope(params: ServiceParams): ReadScope {
    const t = this.translate(params)
    const schema = this.schema()
    const field = (name: string) => {
      // Ciphertext: SQL cannot count or compare what only the application can decrypt.
      if (schema.fields.get(name)?.sensitive)
        throw new BadRequest(
          `字段 ${name} 已加密，无法汇总 (Field ${name} is encrypted and cannot be aggregated)`
        )
      return resolveField(name, schema).sql
    }
    return {
      table: this.table,
      where: `${deletedScope(params.deleted)} AND (${t.where})`,
      params: t.params,
      field
    }
  }

  private async findRows(params: ServiceParams): Promise<DocumentPage<Result> | Result[]> {
    const options = this.getOptions(params)
    const t = this.translate(params)
    const paginate = options.paginate
    const paged = Boolean(paginate && paginate.default)
    const limit: number | undefined = getLimit(t.limit, paginate)
    const where = `${deletedScope(params.deleted)} AND (${t.where})`
    const mode = parseCountMode(t.count, options.countMode ?? 'exact')
    const dataPromise = limit === 0 ? Promise.resolve([] as Row[]) : this.selectRows(t, where, limit, paged)
    const countPromise = paged
      ? countRows(this.db, this.table, where, t.params, mode, options.countCap ?? DEFAULT_COUNT_CAP)
      : undefined
    const [rows, counted] = await Promise.all([dataPromise, countPromise])
    const more = paged && limit !== undefined && rows.length > limit
    const pageRows = more ? rows.slice(0, limit) : rows
    const data = toRecords(pageRows, this.id, t.select) as Result[]
    if (!paged || !counted) return data
    const last = pageRows[pageRows.length - 1]
    const next =
      more && last
        ? encodeCursor(
            t.sortKeys,
            t.sortKeys.map((_, i) => last[`_k${i}`] ?? null)
          )
        : null
    const page: DocumentPage<Result> = {
      total: counted.total,
      limit: limit ?? 0,
      skip: t.skip,
      data,
      next,
      count: counted.count
    }
    if (counted.totalCapped !== undefined) page.totalCapped = counted.totalCapped
    return page
  }

  /** One page of rows; with `paged`, one row more than asked to learn whether a next page exists. */
  private async selectRows(
    t: TranslatedQuery,
    where: string,
    limit: number | undefined,
    paged: boolean
  ): Promise<Row[]> {
    const p = new SqlParams([...t.params, ...(t.after?.params ?? [])])
    const keys = paged ? t.sortKeys.map((k, i) => `, ${keyText(k)} AS _k${i}`).join('') : ''
    let sql = `SELECT ${COLUMNS}${t.skip ? '' : keys} FROM ${this.table} WHERE ${where}${t.after ? ` AND ${t.after.sql}` : ''} ORDER BY ${t.orderBy}`
    if (limit !== undefined) sql += ` LIMIT ${p.add(paged ? limit + 1 : limit)}`
    if (t.skip) sql += ` OFFSET ${p.add(t.skip)}`
    // The server computes a select list for every row it skips: with an offset, the cursor's
    // keys are computed outside, for the page's rows only (10,000 skipped rows cost 5 ms).
    if (t.skip && keys) sql = `SELECT ${COLUMNS}${keys} FROM (${sql}) AS page ORDER BY ${t.orderBy}`
    return (await this.db.query<Row>(sql, p.values)).rows
  }

  async _get(id: Id, params: ServiceParams = {} as ServiceParams): Promise<Result> {
    return guard(async () => {
      const key = normalizeId(id)
      if (key === undefined) throw new NotFound(`没有该记录 (No record found for id '${String(id)}')`)
      const t = this.translate(params, [key])
      const sql = `SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1 AND ${deletedScope(params.deleted)} AND (${t.where}) LIMIT 1`
      const { rows } = await this.db.query<Row>(sql, t.params)
      if (!rows.length) throw new NotFound(`没有该记录 (No record found for id '${key}')`)
      return toRecords(rows, this.id, t.select)[0] as Result
    }, this.errorContext())
  }

  // The list overload first: a list is also assignable to Partial<Record<string, any>>.
  async _create(data: Data[], params?: ServiceParams): Promise<Result[]>
  async _create(data: Data, params?: ServiceParams): Promise<Result>
  async _create(data: Data | Data[], params?: ServiceParams): Promise<Result | Result[]>
  async _create(
    data: Data | Data[],
    params: ServiceParams = {} as ServiceParams
  ): Promise<Result | Result[]> {
    return guard(async () => {
      const list = (Array.isArray(data) ? data : [data]) as unknown[]
      const select = parseSelect(params.query?.$select)
      const created = await insertRecords(this.db, this.table, this.schema(), list, this.actor(params))
      const records = (select ? created.map((r) => pickFields(r, select, this.id)) : created) as Result[]
      return Array.isArray(data) ? records : records[0]
    }, this.errorContext())
  }

  protected async write(
    kind: WriteKind,
    id: NullableId,
    data: unknown,
    params: ServiceParams
  ): Promise<Result | Result[]> {
    return guard(async () => {
      const key = id === null ? null : normalizeId(id)
      if (key === undefined) throw new NotFound(`没有该记录 (No record found for id '${String(id)}')`)
      const rows = await writeRows(this.db, {
        kind,
        table: this.table,
        schema: this.schema(),
        id: key,
        data,
        query: params.query ?? {},
        filters: Object.keys(this.getOptions(params).filters ?? {}),
        actor: this.actor(params),
        deleted: params.deleted
      })
      const records = toRecords(rows, this.id, parseSelect(params.query?.$select)) as Result[]
      return id === null ? records : records[0]
    }, this.errorContext())
  }

  async _update(id: Id, data: Data, params: ServiceParams = {} as ServiceParams): Promise<Result> {
    if (id === null || Array.isArray(data))
      throw new BadRequest("You can not replace multiple instances. Did you mean 'patch'?")
    return this.write('update', id, data, params) as Promise<Result>
  }

  async _patch(id: null, data: PatchData, params?: ServiceParams): Promise<Result[]>
  async _patch(id: Id, data: PatchData, params?: ServiceParams): Promise<Result>
  async _patch(id: NullableId, data: PatchData, params?: ServiceParams): Promise<Result | Result[]>
  async _patch(
    id: NullableId,
    data: PatchData,
    params: ServiceParams = {} as ServiceParams
  ): Promise<Result | Result[]> {
    return this.write('patch', id, data, params)
  }

  /** Soft delete: the row goes to the recycle bin (deleted_at/by set, rev bumped). */
  async _remove(id: null, params?: ServiceParams): Promise<Result[]>
  async _remove(id: Id, params?: ServiceParams): Promise<Result>
  async _remove(id: NullableId, params?: ServiceParams): Promise<Result | Result[]>
  async _remove(id: NullableId, params: ServiceParams = {} as ServiceParams): Promise<Result | Result[]> {
    return this.write('remove', id, undefined, params)
  }

  /** Brings removed rows back; 409 when a unique value was taken meanwhile. */
  async _restore(id: null, params?: ServiceParams): Promise<Result[]>
  async _restore(id: Id, params?: ServiceParams): Promise<Result>
  async _restore(id: NullableId, params?: ServiceParams): Promise<Result | Result[]>
  async _restore(id: NullableId, params: ServiceParams = {} as ServiceParams): Promise<Result | Result[]> {
    return this.write('restore', id, undefined, params)
  }

  /** Hard delete. Only removed rows, unless params.deleted is 'include'. */
  async _purge(id: null, params?: ServiceParams): Promise<Result[]>
  async _purge(id: Id, params?: ServiceParams): Promise<Result>
  async _purge(id: NullableId, params?: ServiceParams): Promise<Result | Result[]>
  async _purge(id: NullableId, params: ServiceParams = {} as ServiceParams): Promise<Result | Result[]> {
    return this.write('purge', id, undefined, params)
  }
}
