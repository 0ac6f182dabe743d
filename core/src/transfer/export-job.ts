import { BadRequest } from '@feathersjs/errors'
import type { Params } from '@feathersjs/feathers'
import { keysetPage, type JobContext } from '@medaffairs/plugin-sdk'
import { permissionFor } from '../identity/acl.js'
import { callerParams, requireRights, type CallerParams, type JobCaller } from './caller.js'
import { sheetOf, systemColumn, type Column, type Sheet } from './columns.js'
import type { TransferDeps } from './deps.js'
import { Lookups } from './lookups.js'
import { createOutput, fileName } from './output.js'
import { rendererFor, userIdsOf, type Renderer } from './render.js'
import { XLSX_MIME } from './read-rows.js'
import { csvSink, xlsxSink, type RowSink } from './sinks.js'

type Doc = Record<string, any>

export type ExportFormat = 'xlsx' | 'csv'

export interface ExportJobData extends JobCaller {
  collection: string
  /** The list's filter; paging is dropped (the whole filtered view goes out). */
  query: Doc
  /**
   * The list's `$sort` as ordered pairs: job data is stored as jsonb, which reorders an
   * object's keys, and the order of sort keys is the order of the rows.
   */
  sort?: Array<[string, unknown]>
  format: ExportFormat
  columns?: string[]
}

export interface ExportResult {
  collection: string
  format: ExportFormat
  rows: number
  fileId: string
  name: string
  size: number
  masked: boolean
}

/** The filter of a list query: paging, counting, sort and field choice are the export's own. */
export function exportQuery(query: unknown): Doc {
  const {
    $limit: _l,
    $skip: _s,
    $after: _a,
    $count: _c,
    $select: _sel,
    $sort: _o,
    ...rest
  } = (query && typeof query === 'object' ? query : {}) as Doc
  return rest
}

/** `$sort` as ordered pairs for the job data, and back. */
export function sortPairs(query: unknown): Array<[string, unknown]> | undefined {
  const sort = (query as Doc | undefined)?.$sort
  return sort && typeof sort === 'object' && !Array.isArray(sort) ? Object.entries(sort) : undefined
}

/**
 * The columns to write, in order: those asked for (or the query's `$select`), else every
 * exported field of the form; only fields the caller may read (system columns always).
 */
export function exportColumns(sheet: Sheet, readable: Set<string> | null, wanted?: unknown): Column[] {
  const byName = new Map(sheet.columns.map((c) => [c.name, c]))
  const names =
    Array.isArray(wanted) && wanted.length
      ? wanted.filter((n): n is string => typeof n === 'string')
      : sheet.columns.filter((c) => c.exported).map((c) => c.name)
  const out: Column[] = []
  for (const name of new Set(names)) {
    const col = byName.get(name) ?? systemColumn(name)
    if (col && (!readable || readable.has(name) || !byName.has(name))) out.push(col)
  }
  if (!out.length)
    throw new BadRequest('没有可导出的列 (no columns to export)', {
      errors: [{ field: 'columns', reason: '没有可读的列 (none readable)' }]
    })
  return out
}

function openSink(
  format: ExportFormat,
  stream: NodeJS.WritableStream,
  sheet: Sheet,
  columns: Column[]
): RowSink {
  const out = columns.map((c) => ({ header: c.label, kind: c.kind }))
  return format === 'csv' ? csvSink(stream as any, out) : xlsxSink(stream as any, sheet.label, out)
}

type Page = { data: Doc[]; next: string | null }

async function pageAfter(
  deps: TransferDeps,
  sheet: Sheet,
  params: CallerParams,
  query: Doc,
  after: string | null
): Promise<Page> {
  return keysetPage(deps.app.service(sheet.path), params, query, deps.limits.exportPage, after)
}

/** The number of rows the export will write (estimated on very large views), for progress. */
export async function countRows(
  deps: TransferDeps,
  path: string,
  params: Params,
  query: Doc
): Promise<number> {
  const page = (await deps.app
    .service(path)
    .find({ ...params, query: { ...query, $limit: 0, $count: 'estimated' } } as Params)) as { total: number }
  return Math.max(0, page.total)
}

/** Streams every row of the filtered view, through the records pipeline, into the file. */
async function writeRows(
  deps: TransferDeps,
  sheet: Sheet,
  params: CallerParams,
  query: Doc,
  columns: Column[],
  sink: RowSink,
  ctx: JobContext,
  total: number
): Promise<number> {
  const lookups = new Lookups(deps.app)
  const renderers: Renderer[] = []
  for (const c of columns) renderers.push(await rendererFor(c, lookups))
  let done = 0
  let pending: Promise<Page> | undefined = pageAfter(deps, sheet, params, query, null)
  try {
    while (pending) {
      if (ctx.signal.aborted)
        throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('job cancelled')
      const page: Page = await pending
      // The next page is read while this one is written: the database and the zip overlap.
      pending = page.next ? pageAfter(deps, sheet, params, query, page.next) : undefined
      await lookups.usersById(userIdsOf(page.data, columns))
      await sink.add(page.data.map((rec) => renderers.map((render, i) => render(rec[columns[i].name]))))
      done += page.data.length
      void ctx
        .progress(done, Math.max(total, done), `已导出 ${done} 行 (exported ${done} rows)`)
        .catch(() => undefined)
    }
  } finally {
    // A page still being read when writing failed must not become an unhandled rejection.
    pending?.catch(() => undefined)
  }
  return done
}

/** The `transfer.export` job: the file, an audit entry and a notification with the link. */
export async function runExport(
  deps: TransferDeps,
  data: ExportJobData,
  ctx: JobContext
): Promise<ExportResult> {
  const params = await callerParams(deps.app, deps.actors, data)
  const sheet = await sheetOf(deps.app, deps.registry, data.collection)
  if (!sheet) throw new BadRequest(`没有该数据表 (no collection ${data.collection})`)
  requireRights(params.actor, sheet.collection, sheet.kind, ['export', 'read'])
  const columns = exportColumns(
    sheet,
    permissionFor(params.actor, sheet.collection, 'read', sheet.kind).readFields,
    data.columns ?? data.query?.$select
  )
  const sort = data.sort?.length ? { $sort: Object.fromEntries(data.sort) } : {}
  const query = {
    ...exportQuery(data.query),
    ...sort,
    $select: [...new Set(['id', ...columns.map((c) => c.name)])]
  }
  const total = await countRows(deps, sheet.path, params, query)
  const ext = data.format === 'csv' ? 'csv' : 'xlsx'
  const output = await createOutput(
    deps.files.store,
    fileName(sheet.label, '', ext),
    ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_MIME,
    params.actor.id
  )
  let rows: number
  try {
    const sink = openSink(data.format, output.stream, sheet, columns)
    rows = await writeRows(deps, sheet, params, query, columns, sink, ctx, total)
    await sink.close()
  } catch (error) {
    await output.discard()
    throw error
  }
  const file = await output.save()
  const masked = !permissionFor(params.actor, sheet.collection, 'unmask', sheet.kind).allowed
  const result: ExportResult = {
    collection: sheet.collection,
    format: data.format,
    rows,
    fileId: file.id,
    name: file.name,
    size: file.size,
    masked
  }
  await deps.audit.append([
    {
      action: 'export',
      collection: sheet.collection,
      actor: { id: params.actor.id, name: params.actor.name ?? params.actor.username ?? null },
      ip: data.ip,
      diff: {
        query: exportQuery(data.query),
        sort: data.sort ?? null,
        columns: columns.map((c) => c.name),
        format: data.format,
        rows,
        fileId: file.id,
        masked
      }
    }
  ])
  await deps.notify({
    userIds: [params.actor.id],
    kind: 'export.ready',
    title: {
      'zh-CN': `导出完成：${sheet.label}（${rows} 行）`,
      'en-US': `Export ready: ${sheet.label} (${rows} rows)`
    },
    link: `/jobs/${ctx.id}`,
    data: { jobId: ctx.id, fileId: file.id, collection: sheet.collection, rows }
  })
  return result
}
