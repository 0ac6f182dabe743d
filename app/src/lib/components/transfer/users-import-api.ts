import { convert } from '@feathersjs/errors'
import type { CreatedUser, UserImportResult } from '@medaffairs/plugin-sdk'
import { accessToken, reportAuthFailure } from '$lib/api/session'
import { blobOfBase64, saveBlob } from './save-blob'

/**
 * The users import (`/api/user-imports`): checked and written within the request, so the
 * generated initial passwords come back once, in the answer. Sent over REST (no socket
 * timeout: hashing many passwords takes a while, and a write is never retried).
 */

async function call<T>(method: 'GET' | 'POST', body?: unknown): Promise<T> {
  const token = accessToken()
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch('/api/user-imports', {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
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

export async function downloadUsersTemplate(): Promise<void> {
  const t = await call<{ name: string; mime: string; base64: string }>('GET')
  saveBlob(blobOfBase64(t.base64, t.mime), t.name)
}

export function importUsers(fileId: string, dryRun: boolean): Promise<UserImportResult> {
  return call<UserImportResult>('POST', { fileId, dryRun })
}

/** One CSV cell: quoted when needed, and a leading = + - @ neutralized (no formulas from data). */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The new users' initial passwords as a CSV Excel opens correctly (UTF-8 with BOM). */
export function passwordsCsv(users: CreatedUser[], header: [string, string, string]): string {
  const lines = [header, ...users.map((u) => [u.username, u.name, u.initialPassword])].map((cells) =>
    cells.map(csvCell).join(',')
  )
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
