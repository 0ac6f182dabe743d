import { MethodNotAllowed } from '@feathersjs/errors'
import type { Id, NullableId, ServiceMethods } from '@feathersjs/feathers'
import { DocumentAdapter, type DocumentPage, type DocumentParams, type DocumentRecord } from './adapter.js'

/**
 * The public service of a collection: sanitizes the query (allowed operators and filters),
 * checks `multi`, and hands over to the adapter's internal methods.
 */
export class DocumentService<
  Result extends Record<string, any> = DocumentRecord,
  Data = Partial<Result>,
  ServiceParams extends DocumentParams = DocumentParams,
  PatchData = Partial<Data>
>
  extends DocumentAdapter<Result, Data, ServiceParams, PatchData>
  implements ServiceMethods<Result | DocumentPage<Result>, Data, ServiceParams, PatchData>
{
  async find(
    params?: ServiceParams & { paginate?: { default?: number; max?: number } }
  ): Promise<DocumentPage<Result>>
  async find(params?: ServiceParams & { paginate: false }): Promise<Result[]>
  async find(params?: ServiceParams): Promise<DocumentPage<Result> | Result[]>
  async find(params?: ServiceParams): Promise<DocumentPage<Result> | Result[]> {
    return this._find({ ...params, query: await this.sanitizeQuery(params) } as ServiceParams)
  }

  async get(id: Id, params?: ServiceParams): Promise<Result> {
    return this._get(id, { ...params, query: await this.sanitizeQuery(params) } as ServiceParams)
  }

  // The list overload first: a list is also assignable to Partial<Record<string, any>>.
  async create(data: Data[], params?: ServiceParams): Promise<Result[]>
  async create(data: Data, params?: ServiceParams): Promise<Result>
  async create(data: Data | Data[], params?: ServiceParams): Promise<Result | Result[]>
  async create(data: Data | Data[], params?: ServiceParams): Promise<Result | Result[]> {
    if (Array.isArray(data) && !this.allowsMulti('create', params)) {
      throw new MethodNotAllowed('Can not create multiple entries')
    }
    return this._create(data, params)
  }

  async update(id: Id, data: Data, params?: ServiceParams): Promise<Result> {
    return this._update(id, data, { ...params, query: await this.sanitizeQuery(params) } as ServiceParams)
  }

  async patch(id: Id, data: PatchData, params?: ServiceParams): Promise<Result>
  async patch(id: null, data: PatchData, params?: ServiceParams): Promise<Result[]>
  async patch(id: NullableId, data: PatchData, params?: ServiceParams): Promise<Result | Result[]>
  async patch(id: NullableId, data: PatchData, params?: ServiceParams): Promise<Result | Result[]> {
    if (id === null && !this.allowsMulti('patch', params))
      throw new MethodNotAllowed('Can not patch multiple entries')
    return this._patch(id, data, { ...params, query: await this.writeQuery(params) } as ServiceParams)
  }

  async remove(id: Id, params?: ServiceParams): Promise<Result>
  async remove(id: null, params?: ServiceParams): Promise<Result[]>
  async remove(id: NullableId, params?: ServiceParams): Promise<Result | Result[]>
  async remove(id: NullableId, params?: ServiceParams): Promise<Result | Result[]> {
    if (id === null && !this.allowsMulti('remove', params))
      throw new MethodNotAllowed('Can not remove multiple entries')
    return this._remove(id, { ...params, query: await this.writeQuery(params) } as ServiceParams)
  }

  /** Recycle bin: undo a remove. Multi needs `multi` to allow 'restore'. */
  async restore(id: Id, params?: ServiceParams): Promise<Result>
  async restore(id: null, params?: ServiceParams): Promise<Result[]>
  async restore(id: NullableId, params?: ServiceParams): Promise<Result | Result[]>
  async restore(id: NullableId, params?: ServiceParams): Promise<Result | Result[]> {
    if (id === null && !this.allowsMulti('restore', params))
      throw new MethodNotAllowed('Can not restore multiple entries')
    return this._restore(id, { ...params, query: await this.writeQuery(params) } as ServiceParams)
  }

  /** Recycle bin: delete for good. Multi needs `multi` to allow 'purge'. */
  async purge(id: Id, params?: ServiceParams): Promise<Result>
  async purge(id: null, params?: ServiceParams): Promise<Result[]>
  async purge(id: NullableId, params?: ServiceParams): Promise<Result | Result[]>
  async purge(id: NullableId, params?: ServiceParams): Promise<Result | Result[]> {
    if (id === null && !this.allowsMulti('purge', params))
      throw new MethodNotAllowed('Can not purge multiple entries')
    return this._purge(id, { ...params, query: await this.writeQuery(params) } as ServiceParams)
  }

  /** Writes take a filter and `$select`; paging does not apply to them. */
  private async writeQuery(params?: ServiceParams) {
    const {
      $limit: _l,
      $skip: _s,
      $sort: _o,
      $after: _a,
      $count: _c,
      ...query
    } = await this.sanitizeQuery(params)
    return query
  }
}
