import { BadRequest, NotFound, Unavailable } from '@feathersjs/errors'
import type { Id, Params } from '@feathersjs/feathers'
import {
  callerParams,
  type Actor,
  type ImportMode,
  type JobQueue,
  type JobStatus
} from '@medaffairs/plugin-sdk'
import type { Middleware } from 'koa'
import { actorOfRequest } from '../files/actor.js'
import { contentDisposition } from '../files/range.js'
import { permissionFor } from '../identity/acl.js'
import { jobCaller, requireRights, type CallerParams } from './caller.js'
import { sheetOf, type Sheet } from './columns.js'
import { JOB_EXPORT, JOB_IMPORT, type TransferDeps } from './deps.js'
import {
  countRows,
  exportColumns,
  exportQuery,
  sortPairs,
  type ExportFormat,
  type ExportJobData
} from './export-job.js'
import { IMPORT_MODES, sourceFile } from './import-job.js'
import { Lookups } from './lookups.js'
import { XLSX_MIME } from './read-rows.js'
import { buildTemplate } from './template.js'

type Doc = Record<string, any>
type TransferParams = Params & { actor?: Actor; ip?: string }

const invalid = (field: string, reason: string) =>
  new BadRequest('参数不正确 (invalid request)', { errors: [{ field, reason }] })

/** The caller's own transport identity, so the records pipeline checks every row as for them. */
export function asCaller(params: TransferParams): CallerParams {
  return {
    ...callerParams(params),
    provider: params.provider ?? 'job',
    ip: params.ip ?? null
  } as CallerParams
}

async function sheetFor(deps: TransferDeps, collection: unknown): Promise<Sheet> {
  const sheet = await sheetOf(deps.app, deps.registry, collection)
  if (!sheet) throw invalid('collection', '没有该数据表 (no such collection)')
  return sheet
}

function actorOf(params: TransferParams): Actor {
  if (!params.actor) throw new BadRequest('导入导出需要用户身份 (imports and exports need a user)')
  return params.actor
}

/** A job of this kind, shown to the user who started it only (like the jobs service does). */
async function ownJob(
  queue: JobQueue | undefined,
  name: string,
  id: Id,
  params: TransferParams
): Promise<JobStatus> {
  const status = queue ? await queue.get(String(id)) : undefined
  if (!status || status.name !== name || (params.provider && status.createdBy !== params.actor?.id))
    throw new NotFound(`任务不存在 (no job ${String(id)})`)
  return status
}

/** Gives the queue, its handlers registered; 503 while the job queue is not running. */
export type QueueSource = () => Promise<JobQueue>

export function queueSource(deps: TransferDeps, register: (queue: JobQueue) => Promise<void>): QueueSource {
  return async () => {
    const queue = deps.jobs()
    if (!queue) throw new Unavailable('后台任务服务未启用，请稍后再试 (the job queue is not running)')
    await register(queue)
    return queue
  }
}

/**
 * `exports`: `POST {collection, query, format, columns?}` → `{jobId, total}`; `GET :jobId` → the
 * job's status, with `result: {fileId, rows, …}` once done. The query is checked (and its
 * rows counted) through the records pipeline before the job is queued, so a bad filter or a
 * missing right answers at once.
 */
export class ExportsService {
  constructor(
    private readonly deps: TransferDeps,
    private readonly queue: QueueSource
  ) {}

  async create(data: Doc, params: TransferParams): Promise<{ jobId: string; total: number }> {
    const sheet = await sheetFor(this.deps, data?.collection)
    const format: ExportFormat = data.format ?? 'xlsx'
    if (format !== 'xlsx' && format !== 'csv') throw invalid('format', 'xlsx | csv')
    if (
      data.query !== undefined &&
      (typeof data.query !== 'object' || data.query === null || Array.isArray(data.query))
    )
      throw invalid('query', '应为查询对象 (a query object)')
    if (
      data.columns !== undefined &&
      !(Array.isArray(data.columns) && data.columns.every((c: unknown) => typeof c === 'string'))
    )
      throw invalid('columns', '应为字段名列表 (a list of field names)')
    const actor = actorOf(params)
    requireRights(actor, sheet.collection, sheet.kind, ['export', 'read'])
    const query = (data.query ?? {}) as Doc
    const columns = exportColumns(
      sheet,
      permissionFor(actor, sheet.collection, 'read', sheet.kind).readFields,
      data.columns ?? query.$select
    )
    const sort = sortPairs(query)
    // Counting runs the filter and sort through the pipeline now: a bad query is a 400 here.
    const total = await countRows(this.deps, sheet.path, asCaller(params), {
      ...exportQuery(query),
      ...(sort ? { $sort: query.$sort } : {})
    })
    const queue = await this.queue()
    const job: ExportJobData = {
      ...jobCaller(params),
      collection: sheet.collection,
      query: exportQuery(query),
      ...(sort ? { sort } : {}),
      format,
      columns: columns.map((c) => c.name)
    }
    const jobId = await queue.enqueue(JOB_EXPORT, job, { createdBy: actor.id, retryLimit: 1 })
    return { jobId, total }
  }

  async get(id: Id, params: TransferParams): Promise<JobStatus> {
    return ownJob(this.deps.jobs(), JOB_EXPORT, id, params)
  }
}

/**
 * `imports`: `POST {collection, fileId, mode}` (the file uploaded through `POST /api/files`
 * first) → `{jobId}`; `GET :jobId` → status, progress and, once done, the validation report.
 */
export class ImportsService {
  constructor(
    private readonly deps: TransferDeps,
    private readonly queue: QueueSource
  ) {}

  async create(data: Doc, params: TransferParams): Promise<{ jobId: string }> {
    const sheet = await sheetFor(this.deps, data?.collection)
    const mode: ImportMode = data.mode ?? 'all-or-nothing'
    if (!IMPORT_MODES.includes(mode)) throw invalid('mode', IMPORT_MODES.join(' | '))
    const actor = actorOf(params)
    requireRights(actor, sheet.collection, sheet.kind, ['import', 'create'])
    await sourceFile(this.deps, asCaller(params), data.fileId)
    const queue = await this.queue()
    // No retry: a retried valid-rows-only import would write its good rows twice.
    const jobId = await queue.enqueue(
      JOB_IMPORT,
      { ...jobCaller(params), collection: sheet.collection, fileId: data.fileId, mode },
      { createdBy: actor.id, retryLimit: 0 }
    )
    return { jobId }
  }

  async get(id: Id, params: TransferParams): Promise<JobStatus> {
    return ownJob(this.deps.jobs(), JOB_IMPORT, id, params)
  }
}

/** The template of a collection for a caller who may import into it. */
export async function templateFor(
  deps: TransferDeps,
  actor: Actor | undefined,
  collection: unknown
): Promise<{ name: string; bytes: Buffer }> {
  if (collection === undefined) throw invalid('collection', '必填 (required)')
  const sheet = await sheetFor(deps, collection)
  if (actor) requireRights(actor, sheet.collection, sheet.kind, ['import'])
  return { name: `${sheet.label}_导入模板.xlsx`, bytes: await buildTemplate(sheet, new Lookups(deps.app)) }
}

/** `imports/template` over sockets: the workbook as base64 (REST gets the bytes, see below). */
export class TemplateService {
  constructor(private readonly deps: TransferDeps) {}

  async find(params: TransferParams): Promise<{ name: string; mime: string; size: number; base64: string }> {
    const { name, bytes } = await templateFor(this.deps, params.actor, params.query?.collection)
    return { name, mime: XLSX_MIME, size: bytes.length, base64: bytes.toString('base64') }
  }
}

/** `GET /api/imports/template?collection=…`: the .xlsx itself, as a download. */
export function templateMiddleware(deps: TransferDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET') return next()
    const actor = await actorOfRequest(ctx, deps.app, deps.actors)
    const { name, bytes } = await templateFor(deps, actor, ctx.query.collection)
    ctx.set({
      'Content-Disposition': contentDisposition('attachment', name),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff'
    })
    ctx.type = XLSX_MIME
    ctx.body = bytes
  }
}
