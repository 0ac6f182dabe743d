import { convert } from '@feathersjs/errors'
import type { ImportMode, JobStatus } from '@medaffairs/plugin-sdk'
import { accessToken, reportAuthFailure } from '$lib/api/session'
import { uploadFile, type FileRecord } from '$lib/components/files/files-api'
import { api } from '$lib/services/records.service'
import { saveBlob } from './save-blob'

/**
 * The client side of core's transfer module: exports and imports run as jobs
 * (`/api/exports`, `/api/imports`), the import template (`/api/imports/template`), and the
 * users import (`/api/user-imports`, checked and written in the request).
 */

export type ExportFormat = 'xlsx' | 'csv'

export interface ExportRequest {
  collection: string
  format: ExportFormat
  query: Record<string, unknown>
  columns: string[]
}

/** `POST /api/exports`: the filter is checked and counted at once; the file is written by a job. */
export async function startExport(req: ExportRequest): Promise<{ jobId: string; total: number }> {
  return (await api<unknown>('exports').create(req as never)) as unknown as { jobId: string; total: number }
}

/** Sends a sheet to import (`purpose=import`: xlsx, or csv in UTF-8 or GB18030). */
export function uploadSheet(
  file: File,
  onProgress: (fraction: number) => void
): { done: Promise<FileRecord>; abort(): void } {
  const handle = uploadFile(file, { purpose: 'import' }, onProgress)
  return { done: handle.done.then((files) => files[0]), abort: handle.abort }
}

/** `POST /api/imports`: a dry run (report only) or the import itself, as a job. */
export async function startImport(
  collection: string,
  fileId: string,
  mode: ImportMode
): Promise<{ jobId: string }> {
  return (await api<unknown>('imports').create({ collection, fileId, mode } as never)) as unknown as {
    jobId: string
  }
}

export function getTransferJob(kind: 'exports' | 'imports', id: string): Promise<JobStatus> {
  return api<JobStatus>(kind).get(id)
}

/** Downloads the collection's import template (`GET /api/imports/template?collection=`). */
export async function downloadTemplate(collection: string): Promise<void> {
  const token = accessToken()
  const response = await fetch(`/api/imports/template?collection=${encodeURIComponent(collection)}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {}
  })
  if (!response.ok) {
    const error = convert(
      (await response.json().catch(() => null)) ?? {
        name: 'GeneralError',
        message: response.statusText,
        code: response.status
      }
    )
    reportAuthFailure(error, token)
    throw error
  }
  saveBlob(
    await response.blob(),
    fileNameOf(response.headers.get('content-disposition')) ?? `${collection}.xlsx`
  )
}

/** The name in `Content-Disposition` (the UTF-8 `filename*` form first). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      // fall through to the plain form
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null
}
