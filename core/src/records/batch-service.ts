import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { callerParams, type Db, type JobQueue } from '@medaffairs/plugin-sdk'
import type { PluginRegistry } from '../plugins/loader.js'

type Doc = Record<string, any>
export type BatchAction = 'patch' | 'remove' | 'restore'

export interface BatchRequest {
  collection: string
  action: BatchAction
  /** The selection; or `filter` for every row matching a query. */
  ids?: string[]
  filter?: Doc
  data?: Doc
}

/** Up to this many rows run in one transaction; more run as a job, in chunks, with progress. */
export const INLINE_LIMIT = 10_000
const CHUNK = 1_000

function check(req: BatchRequest, registry: PluginRegistry) {
  const errors: Array<{ field: string; reason: string }> = []
  if (!registry.collections.has(req?.collection))
    errors.push({ field: 'collection', reason: '没有该数据表 (no such collection)' })
  if (!['patch', 'remove', 'restore'].includes(req?.action))
    errors.push({ field: 'action', reason: 'patch | remove | restore' })
  const hasIds = Array.isArray(req?.ids) && req.ids.length > 0 && req.ids.every((i) => typeof i === 'string')
  const hasFilter =
    req?.filter !== undefined &&
    typeof req.filter === 'object' &&
    req.filter !== null &&
    !Array.isArray(req.filter)
  if (hasIds === hasFilter)
    errors.push({ field: 'ids', reason: '给出 ids 或 filter 之一 (give either ids or filter)' })
  if (
    req?.action === 'patch' &&
    (!req.data || typeof req.data !== 'object' || Array.isArray(req.data) || !Object.keys(req.data).length)
  ) {
    errors.push({ field: 'data', reason: '要设置的字段 (the fields to set)' })
  }
  if (errors.length) throw new BadRequest('批量操作参数不正确 (invalid batch request)', { errors })
}

/** The caller's own transport identity, so the records pipeline checks every row as for them. */
function asCaller(params: Params): Params {
  return { ...callerParams(params), provider: params.provider ?? 'job' }
}

/**
 * `POST /api/batch`: batch edit, delete or restore a selection or every row matching a
 * filter — each row permission-checked (scope, writable fields) and audited by the records
 * pipeline. Small batches run in one transaction; large ones as a chunked job with progress.
 */
export class BatchService {
  constructor(
    private readonly app: Application,
    private readonly db: Db,
    private readonly registry: PluginRegistry,
    /** Restores go through the recycle bin, which checks the restore right and audits. */
    private readonly restore: (
      items: Array<{ collection: string; id: string }>,
      params: Params
    ) => Promise<unknown>,
    private readonly jobs?: () => JobQueue | undefined
  ) {}

  private query(req: BatchRequest): Doc {
    return req.ids ? { id: { $in: req.ids } } : { ...req.filter }
  }

  private async run(path: string, req: BatchRequest, query: Doc, params: Params): Promise<Doc[]> {
    const service = this.app.service(path) as unknown as Record<string, (...a: unknown[]) => Promise<Doc[]>>
    const p = { ...asCaller(params), query }
    if (req.action === 'patch') return service.patch(null, req.data, p)
    if (req.action === 'remove') return service.remove(null, p)
    const rows = (await service.find({
      ...p,
      query: { ...query, $select: ['id'] },
      deleted: 'only',
      paginate: false
    })) as Doc[]
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.restore(
        rows.slice(i, i + CHUNK).map((r) => ({ collection: req.collection, id: String(r.id) })),
        params
      )
    }
    return rows
  }

  async count(path: string, req: BatchRequest, params: Params): Promise<number> {
    const page = (await this.app.service(path).find({
      ...asCaller(params),
      query: { ...this.query(req), $limit: 0, $count: 'exact' },
      ...(req.action === 'restore' ? { deleted: 'only' } : {})
    } as Params)) as { total: number }
    return page.total
  }

  async create(req: BatchRequest, params: Params): Promise<{ count: number; jobId?: string }> {
    check(req, this.registry)
    const { path } = this.registry.collections.get(req.collection)!
    const total = await this.count(path, req, params)
    if (total <= INLINE_LIMIT) {
      const rows = await this.db.transaction(() => this.run(path, req, this.query(req), params))
      return { count: rows.length }
    }
    const jobs = this.jobs?.()
    if (!jobs)
      throw new BadRequest(
        `超过 ${INLINE_LIMIT} 条的批量操作需要后台任务服务 (batches over ${INLINE_LIMIT} rows need the job queue)`
      )
    const userId = (params as Doc).user?.id
    const jobId = await jobs.enqueue('batch', { req, userId, total }, { createdBy: userId })
    return { count: total, jobId }
  }

  /**
   * Runs a large batch in chunks of 1,000 ids, each chunk its own transaction, reporting
   * progress; used by the `batch` job. Ids are collected first so edits cannot move rows
   * in or out of the selection while it runs.
   */
  async runChunked(
    req: BatchRequest,
    params: Params,
    progress: (done: number, total: number) => Promise<void>
  ): Promise<number> {
    const { path } = this.registry.collections.get(req.collection)!
    const ids: string[] = []
    let after: string | null = null
    do {
      const page = (await this.app.service(path).find({
        ...asCaller(params),
        query: {
          ...this.query(req),
          $select: ['id'],
          $sort: { id: 1 },
          $limit: 5000,
          $count: 'none',
          ...(after ? { $after: after } : {})
        },
        ...(req.action === 'restore' ? { deleted: 'only' } : {})
      } as Params)) as { data: Doc[]; next: string | null }
      ids.push(...page.data.map((r) => String(r.id)))
      after = page.next
    } while (after)
    let done = 0
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK)
      done += (await this.db.transaction(() => this.run(path, req, { id: { $in: chunk } }, params))).length
      await progress(done, ids.length)
    }
    return done
  }
}
