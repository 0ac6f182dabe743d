import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DriverName, JobStatus } from '@medaffairs/plugin-sdk'
import ExcelJS from 'exceljs'
import dictionaries from '../../../plugins/dictionaries/src/index.js'
import archives from '../../../plugins/archives/src/index.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer } from '../../../tests/support/auth.js'
import type { Jobs } from '../../src/jobs/index.js'
import type { TransferLimits, TransferModule } from '../../src/transfer/index.js'
import { FAST } from '../jobs/helpers.js'

export interface TransferServer extends TestServer {
  jobs: Jobs
  transfer: TransferModule
}

/**
 * A real server with the dictionaries and archives plugins, the durable job queue and the
 * transfer module, as the server wires them (small pages so exports span several).
 */
export async function startTransferServer(
  driver: DriverName,
  limits: Partial<TransferLimits> = {}
): Promise<TransferServer> {
  const dir = await mkdtemp(join(tmpdir(), 'medaffairs-transfer-'))
  const t = await startTestServer(driver, [dictionaries, archives], {
    files: { dir },
    jobs: FAST,
    transfer: limits,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent'
  })
  const { files, jobs, transfer } = t.server
  return {
    ...t,
    jobs,
    transfer,
    async close() {
      await files.store.idle()
      await t.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Uploads bytes through `POST /api/files` (multipart), as the web app does. */
export async function upload(
  t: TestServer,
  token: string,
  bytes: Buffer,
  name: string
): Promise<{ status: number; body: any }> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)]), name)
  const res = await fetch(`${t.url}/api/files`, { method: 'POST', body: form, headers: bearer(token) })
  return { status: res.status, body: await res.json() }
}

/** Stores a file as the user's own upload directly, with the MIME type given (no sniffing; uploads: csv-upload.test.ts). */
export async function storeFile(
  t: TransferServer,
  userId: string,
  bytes: Buffer,
  name: string,
  mime: string
): Promise<string> {
  const tempFile = join(tmpdir(), `medaffairs-upload-${Date.now()}-${Math.random().toString(36).slice(2)}`)
  await writeFile(tempFile, bytes)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const row = await t.server.files.store.save(
    { tempFile, sha256, size: bytes.length, name },
    mime,
    null,
    { collection: null, recordId: null, field: null },
    userId
  )
  return row.id
}

/** Polls `GET /api/<path>/:id` until the job has finished. */
export async function finished(
  t: TestServer,
  token: string,
  path: 'imports' | 'exports',
  jobId: string,
  timeoutMs = 30_000
): Promise<JobStatus> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const res = await t.api('GET', `/api/${path}/${jobId}`, undefined, bearer(token))
    if (res.status !== 200) throw new Error(`GET ${path}/${jobId}: ${res.status} ${JSON.stringify(res.body)}`)
    if (['completed', 'failed', 'cancelled'].includes(res.body.state)) return res.body
    if (Date.now() > until) throw new Error(`job ${jobId} still ${res.body.state}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Downloads a stored file with the user's token. */
export async function download(
  t: TestServer,
  token: string,
  fileId: string
): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const res = await fetch(`${t.url}/api/files/${fileId}/content`, { headers: bearer(token) })
  return {
    status: res.status,
    bytes: Buffer.from(await res.arrayBuffer()),
    type: res.headers.get('content-type')
  }
}

/** A workbook with one sheet of the given rows (the first being the header). */
export async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('数据')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export async function readXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as any)
  return wb
}

/** A sheet's rows as arrays of cell values (column A first). */
export function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = []
  ws.eachRow({ includeEmpty: false }, (row) => out.push((row.values as unknown[]).slice(1)))
  return out
}
