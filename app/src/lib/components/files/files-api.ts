import { convert } from '@feathersjs/errors'
import type { FileRecord } from '@medaffairs/plugin-sdk'
import { accessToken, reportAuthFailure } from '$lib/api/session'

/**
 * The client side of core's files module: metadata through `/api/files`, bytes through
 * short-lived signed URLs (an `<img>` cannot send the Bearer token), uploads as multipart
 * with XMLHttpRequest because fetch reports no upload progress.
 */

export type { FileRecord } from '@medaffairs/plugin-sdk'

/** Where uploads go: a record (and field), or a collection whose record is not saved yet. */
export interface FileContext {
  collection?: string
  recordId?: string
  field?: string
  /** `import`: a sheet to import, attached to no record (core accepts csv only then). */
  purpose?: 'import'
}

export interface ApiError {
  code: number
  message: string
  data?: Record<string, unknown> | null
}

export const isImage = (f: Pick<FileRecord, 'mime'>) => /^image\/(jpeg|png|gif|webp)$/.test(f.mime)

function headers(): Record<string, string> {
  const token = accessToken()
  return token
    ? { Accept: 'application/json', Authorization: `Bearer ${token}` }
    : { Accept: 'application/json' }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = accessToken()
  const init: RequestInit = { method, headers: headers() }
  if (body !== undefined) init.body = JSON.stringify(body)
  if (body !== undefined) (init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  const response = await fetch(path, init)
  const json: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const error = convert(
      json ?? { name: 'GeneralError', message: response.statusText, code: response.status }
    )
    reportAuthFailure(error, token)
    throw error
  }
  return json as T
}

/** The files of a record (optionally of one field), as the caller may see them. */
export function listFiles(ctx: FileContext): Promise<FileRecord[]> {
  const q = new URLSearchParams()
  if (ctx.collection) q.set('collection', ctx.collection)
  if (ctx.recordId) q.set('recordId', ctx.recordId)
  if (ctx.field) q.set('field', ctx.field)
  return request<FileRecord[]>('GET', `/api/files?${q}`)
}

export function removeFile(id: string): Promise<FileRecord> {
  return request<FileRecord>('DELETE', `/api/files/${encodeURIComponent(id)}`)
}

/** Attaches an upload made on a new form once its record is saved. */
export function attachFile(id: string, ctx: FileContext): Promise<FileRecord> {
  return request<FileRecord>('PATCH', `/api/files/${encodeURIComponent(id)}`, ctx)
}

const urlCache = new Map<string, { url: string; until: number }>()

/** A signed URL for a file or its thumbnail, reused until shortly before it expires. */
export async function fileUrl(id: string, variant: 'full' | 'thumb' = 'full'): Promise<string> {
  const key = `${id}:${variant}`
  const cached = urlCache.get(key)
  if (cached && cached.until > Date.now()) return cached.url
  const q = variant === 'thumb' ? '?thumb=1' : ''
  const { url, expiresAt } = await request<{ url: string; expiresAt: string }>(
    'GET',
    `/api/files/${encodeURIComponent(id)}/url${q}`
  )
  // Keep a minute of margin: an image may start loading just before the link dies.
  urlCache.set(key, { url, until: Date.parse(expiresAt) - 60_000 })
  return url
}

/** Starts a download of the file under its own name, without leaving the page. */
export async function downloadFile(file: Pick<FileRecord, 'id' | 'name'>): Promise<void> {
  const a = document.createElement('a')
  a.href = `${await fileUrl(file.id)}&download=1`
  a.download = file.name
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
}

export interface UploadHandle {
  done: Promise<FileRecord[]>
  abort(): void
}

function parseError(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as Partial<ApiError>
    return { code: xhr.status, message: body.message ?? xhr.statusText, data: body.data ?? null }
  } catch {
    return { code: xhr.status || 0, message: xhr.statusText || 'network error' }
  }
}

/** Uploads one file (fields first, so the server can refuse before the bytes). */
export function uploadFile(
  file: File,
  ctx: FileContext,
  onProgress: (fraction: number) => void
): UploadHandle {
  const xhr = new XMLHttpRequest()
  const token = accessToken()
  const done = new Promise<FileRecord[]>((resolve, reject) => {
    const form = new FormData()
    for (const key of ['collection', 'recordId', 'field', 'purpose'] as const)
      if (ctx[key]) form.append(key, ctx[key]!)
    form.append('file', file, file.name)
    xhr.open('POST', '/api/files')
    xhr.setRequestHeader('Accept', 'application/json')
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onload = () => {
      if (xhr.status === 201) return resolve(JSON.parse(xhr.responseText) as FileRecord[])
      const error = parseError(xhr)
      reportAuthFailure(error, token)
      reject(error)
    }
    xhr.onerror = () => reject({ code: 0, message: 'network error' } satisfies ApiError)
    xhr.onabort = () => reject({ code: -1, message: 'aborted' } satisfies ApiError)
    xhr.send(form)
  })
  return { done, abort: () => xhr.abort() }
}

/** 1.2 MB, 830 KB, 12 B: sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
