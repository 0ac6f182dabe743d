import type { Readable } from 'node:stream'
import { BadRequest } from '@feathersjs/errors'
import type { Params } from '@feathersjs/feathers'
import type { ImportMode, ImportResult, JobContext, RowError } from '@medaffairs/plugin-sdk'
import { r } from '../definitions/validate/messages.js'
import type { FileRow } from '../files/store.js'
import { permissionFor } from '../identity/acl.js'
import { callerParams, requireRights, type CallerParams, type JobCaller } from './caller.js'
import { sheetOf, type Sheet } from './columns.js'
import type { TransferDeps } from './deps.js'
import { mapHeader, type HeaderMap } from './header.js'
import { Lookups } from './lookups.js'
import { RowPreparer } from './prepare.js'
import { charsetOf, formatOf, isBlank, readRows, type SheetFormat, type SheetRow } from './read-rows.js'
import { writeReport } from './report.js'
import { ChunkWriter } from './write.js'

/** `dry-run` checks and writes every row like all-or-nothing, then always rolls back: a report, nothing kept. */
export const IMPORT_MODES: readonly ImportMode[] = ['all-or-nothing', 'valid-rows-only', 'dry-run']

export interface ImportJobData extends JobCaller {
  collection: string
  fileId: string
  mode: ImportMode
}

interface Run {
  rows: number
  imported: number
  errors: RowError[]
  header?: HeaderMap
  /** Chunks written at once: 2 when each chunk commits alone on a server with a pool. */
  writers: number
}

class Rollback extends Error {}

const MISSING_COLUMN = r('缺少必填列', 'required column missing')
const EMPTY_FILE = r('文件中没有表头行', 'the file has no header row')

export interface SourceFile {
  file: FileRow
  format: SheetFormat
  charset: 'utf-8' | 'gb18030'
}

/** The uploaded sheet, readable by the caller (their own upload), in a format we read. */
export async function sourceFile(
  deps: TransferDeps,
  params: CallerParams,
  fileId: string
): Promise<SourceFile> {
  const file = typeof fileId === 'string' ? await deps.files.store.byId(fileId) : null
  if (!file || !(await deps.files.access.canRead(file, params.actor)))
    throw new BadRequest('导入文件不存在 (no such uploaded file)', {
      errors: [{ field: 'fileId', reason: 'not found' }]
    })
  const format = formatOf(file.mime)
  if (!format)
    throw new BadRequest('仅支持 .xlsx 或 .csv 文件（.xls 请另存为 .xlsx） (only .xlsx or .csv files)', {
      errors: [{ field: 'fileId', reason: file.mime }]
    })
  return { file, format, charset: charsetOf(file.mime) }
}

/** The rows of an uploaded sheet, read from the stored file (opened again if a read repeats). */
export function sourceRows(deps: TransferDeps, source: SourceFile): AsyncGenerator<SheetRow> {
  const open = async () => (await deps.files.store.driver.get(source.file.sha256)) as Readable
  return readRows(open, source.format, source.charset)
}

async function nextRow(it: AsyncIterator<SheetRow>, skipBlank: boolean): Promise<SheetRow | undefined> {
  for (;;) {
    const { value, done } = await it.next()
    if (done) return undefined
    if (!skipBlank || !isBlank(value)) return value
  }
}

/** Reads, converts, checks and writes every row, chunk by chunk; errors collect in `run`. */
async function importRows(
  deps: TransferDeps,
  ctx: JobContext,
  sheet: Sheet,
  params: CallerParams,
  source: SourceFile,
  run: Run
): Promise<void> {
  const it = sourceRows(deps, source)[Symbol.asyncIterator]()
  const first = await nextRow(it, true)
  if (!first) return void run.errors.push({ row: 1, field: null, label: null, reason: EMPTY_FILE })
  const second = await nextRow(it, false)
  const header = (run.header = mapHeader(
    first,
    second,
    sheet.columns.filter((c) => c.importable)
  ))
  if (header.missing.length)
    return void run.errors.push(
      ...header.missing.map((c) => ({
        row: first.number,
        field: c.name,
        label: c.label,
        reason: MISSING_COLUMN
      }))
    )
  const scope = permissionFor(params.actor, sheet.collection, 'create', sheet.kind).scope
  const preparer = await RowPreparer.create(sheet, header, new Lookups(deps.app), params.actor, scope)
  const service = deps.app.service(sheet.path)
  const writer = new ChunkWriter(
    (data) => service.create(data, { ...params, query: {} } as Params),
    (row, field, reason) => preparer.error(row, field, reason)
  )
  let chunk: SheetRow[] = header.headerRows === 1 && second && !isBlank(second) ? [second] : []
  // Chunks are written while the next one is read and prepared, so parsing, the pipeline's
  // work and the database overlap; the audit chain still appends one transaction at a time.
  const writing: Array<Promise<void>> = []
  const flush = async () => {
    const rows = chunk
    chunk = []
    const { ok, errors } = await preparer.prepare(rows)
    while (writing.length >= run.writers) await writing.shift()
    run.errors.push(...errors)
    const write = writer.write(ok, run.errors).then((n) => {
      run.imported += n
      void ctx
        .progress(run.rows, undefined, `已处理 ${run.rows} 行 (processed ${run.rows} rows)`)
        .catch(() => undefined)
    })
    write.catch(() => undefined)
    writing.push(write)
  }
  run.rows = chunk.length
  try {
    for (let row = await nextRow(it, true); row; row = await nextRow(it, true)) {
      if (++run.rows > deps.limits.maxImportRows) {
        run.errors.push({
          row: row.number,
          field: null,
          label: null,
          reason: r(
            `一次最多导入 ${deps.limits.maxImportRows} 行，其余未读取`,
            `at most ${deps.limits.maxImportRows} rows per import; the rest was not read`
          )
        })
        run.rows--
        break
      }
      chunk.push(row)
      if (chunk.length >= deps.limits.importChunk) await flush()
      if (ctx.signal.aborted)
        throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('job cancelled')
    }
    if (chunk.length) await flush()
  } finally {
    // The last writes (or those in flight when reading failed) end before the job does.
    for (const write of writing) await write
    // Ends the reader early when the row limit was hit (closes the file stream).
    await it.return?.(undefined)
  }
}

/** Runs the rows: all-or-nothing inside one transaction, undone when any row failed. */
async function runRows(
  deps: TransferDeps,
  ctx: JobContext,
  sheet: Sheet,
  params: CallerParams,
  source: SourceFile,
  mode: ImportMode
): Promise<Run & { rolledBack: boolean; valid: number }> {
  const run: Run = {
    rows: 0,
    imported: 0,
    errors: [],
    writers: mode === 'valid-rows-only' && deps.db.driver === 'pg' ? 2 : 1
  }
  if (mode === 'valid-rows-only') {
    await importRows(deps, ctx, sheet, params, source, run)
    return { ...run, rolledBack: false, valid: run.imported }
  }
  try {
    // Each multi-create inside is a savepoint: a refused chunk is undone alone, and the rows
    // after it are still checked, so the report lists every problem of the file at once.
    await deps.db.transaction(async () => {
      await importRows(deps, ctx, sheet, params, source, run)
      if (run.errors.length || mode === 'dry-run') throw new Rollback()
    })
    return { ...run, rolledBack: false, valid: run.imported }
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
    return { ...run, valid: run.imported, imported: 0, rolledBack: true }
  }
}

const byPosition = (a: RowError, b: RowError) =>
  a.row - b.row || String(a.field ?? '').localeCompare(String(b.field ?? ''))

/** The `transfer.import` job: rows written through the pipeline, a report, an audit entry, a notification (a dry run: the report only). */
export async function runImport(
  deps: TransferDeps,
  data: ImportJobData,
  ctx: JobContext
): Promise<ImportResult> {
  const params = await callerParams(deps.app, deps.actors, data)
  const sheet = await sheetOf(deps.app, deps.registry, data.collection)
  if (!sheet) throw new BadRequest(`没有该数据表 (no collection ${data.collection})`)
  requireRights(params.actor, sheet.collection, sheet.kind, ['import', 'create'])
  const source = await sourceFile(deps, params, data.fileId)
  const run = await runRows(deps, ctx, sheet, params, source, data.mode)
  const errors = run.errors.sort(byPosition)
  const failed = new Set(errors.map((e) => e.row)).size
  const report =
    errors.length && run.header && !run.header.missing.length
      ? await writeReport(deps.files.store, {
          source: async () => (await deps.files.store.driver.get(source.file.sha256)) as Readable,
          format: source.format,
          charset: source.charset,
          header: run.header,
          errors,
          onlyFailed: data.mode === 'valid-rows-only',
          label: sheet.label,
          ownerId: params.actor.id
        })
      : null
  const result: ImportResult = {
    collection: sheet.collection,
    mode: data.mode,
    rows: run.rows,
    imported: run.imported,
    failed,
    errorCount: errors.length,
    errors: errors.slice(0, deps.limits.maxReportedErrors),
    ignoredColumns: run.header?.ignored ?? [],
    reportFileId: report?.id ?? null,
    rolledBack: run.rolledBack,
    dryRun: data.mode === 'dry-run',
    valid: run.valid
  }
  // A dry run changed nothing: no audit entry, and the user is watching it (no notification).
  if (result.dryRun) return result
  const actor = { id: params.actor.id, name: params.actor.name ?? params.actor.username ?? null }
  const { errors: _e, ...summary } = result
  await deps.audit.append([
    {
      action: 'import',
      collection: sheet.collection,
      actor,
      ip: data.ip,
      diff: { ...summary, fileId: data.fileId, fileName: source.file.name }
    }
  ])
  const title =
    run.imported === run.rows && !errors.length
      ? `导入完成：${sheet.label}（${run.imported} 行）`
      : `导入结束：${sheet.label}（成功 ${run.imported} 行，失败 ${failed} 行）`
  await deps.notify({
    userIds: [params.actor.id],
    kind: 'import.done',
    title: {
      'zh-CN': title,
      'en-US': `Import of ${sheet.label}: ${run.imported} imported, ${failed} failed`
    },
    link: `/jobs/${ctx.id}`,
    data: {
      jobId: ctx.id,
      collection: sheet.collection,
      imported: run.imported,
      failed,
      reportFileId: result.reportFileId
    }
  })
  return result
}
