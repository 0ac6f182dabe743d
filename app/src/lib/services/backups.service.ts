import type { BackupDetail, BackupSettings, BackupSummary } from '@medaffairs/plugin-sdk'
import { accessToken } from '$lib/api/session'
import { api } from './records.service'

/**
 * Full backups (`/api/backups`, system administrators only): the list, one backup, starting
 * one (a `backup.full` job, followed through `jobs`), the settings in effect and the download.
 */

export interface BackupPage {
  total: number
  limit: number
  skip: number
  data: BackupSummary[]
}

export const BACKUP_JOB = 'backup.full'

export async function listBackups(query: { $limit: number; $skip: number }): Promise<BackupPage> {
  return (await api<BackupSummary>('backups').find({ query })) as unknown as BackupPage
}

export function getBackup(id: string): Promise<BackupDetail> {
  return api<BackupDetail>('backups').get(id)
}

/** Starts a backup now; answers the job to follow (the running one when a backup is already under way). */
export async function startBackup(): Promise<string> {
  return ((await api<unknown>('backups').create({})) as { jobId: string }).jobId
}

export async function backupSettings(): Promise<BackupSettings> {
  return (await api<unknown>('backups/settings').find({})) as unknown as BackupSettings
}

/** Where the tar of a backup downloads from, signed in by the token in the query (a link sends no header). */
export function backupDownloadUrl(id: string, token = accessToken()): string {
  const path = `/api/backups/${encodeURIComponent(id)}/content`
  return token ? `${path}?access_token=${encodeURIComponent(token)}` : path
}

/**
 * Streams the tar to the browser's downloads (it may be many GB: never through page memory).
 * The link is built at the click, so the token in it is the current one, and removed at once.
 */
export function downloadBackup(id: string): void {
  const a = document.createElement('a')
  a.href = backupDownloadUrl(id)
  a.download = `${id}.tar`
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
}
