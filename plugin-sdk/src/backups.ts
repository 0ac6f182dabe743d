/**
 * Full backups as the `backups` service answers them (core/src/backup), shared with the web app.
 */

/** What made a backup: the schedule, a request (`POST /api/backups`) or `npm run backup`. */
export type BackupKind = 'scheduled' | 'manual' | 'command'

export interface RetentionPolicy {
  /** Scheduled backups: the newest of each of the last `daily` days that have one. */
  daily: number
  /** Scheduled backups: the newest of each of the last `weekly` weeks (Monday to Sunday) that have one. */
  weekly: number
  /** Backups taken on demand (API or command): the newest `manual`. */
  manual: number
}

/** A finished backup as the list shows it. */
export interface BackupSummary {
  id: string
  kind: BackupKind
  createdAt: string
  seconds: number
  /** Bytes of every part and blob (blobs shared with another backup by hard links included). */
  bytes: number
  tables: number
  rows: number
  files: number
  /** Files the records named that were not in the store when the backup was taken (0 = complete). */
  missingFiles: number
  migrations: number
}

/** One backup: the summary, what made it, which master key it needs, and its tables. */
export interface BackupDetail extends Omit<BackupSummary, 'missingFiles'> {
  appVersion: string
  driver: 'pglite' | 'pg'
  /** Fingerprints of the master keys a restore needs (one of them). */
  masterKeys: string[]
  /** The keys of the files missing from the backup. */
  missingFiles: string[]
  tableList: Array<{ table: string; rows: number; bytes: number }>
}

/** `GET /api/backups/settings`: the configuration in effect, read-only. */
export interface BackupSettings {
  /** Five-field cron in the server's time zone; empty = no scheduled backup. */
  cron: string
  retention: RetentionPolicy
  /** The folder on the server holding the backups (where `npm run restore` finds them). */
  dir: string
  /** The server's time zone, in which `cron` and the daily/weekly retention are read. */
  timeZone: string
}
