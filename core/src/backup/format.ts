import { join } from 'node:path'
import type { BackupKind } from '@medaffairs/plugin-sdk'

/**
 * The on-disk shape of a full backup. A backup is a folder:
 *
 *   full-<stamp>-<kind>/
 *     manifest.json              what is inside, with a sha256 for every part
 *     tables/<table>.ndjson.gz   one JSON object per row (row_to_json), gzip
 *     files.ndjson.gz            one line per stored blob: { key, size, sha256 }
 *     files/<aa>/<bb>/<key>      the blobs, laid out as the files store lays them out
 *
 * While it is written the folder ends in `.partial`; it is renamed when complete, so a
 * folder without the suffix is always a finished backup.
 */

export const FORMAT = 'medaffairs-backup'
export const FORMAT_VERSION = 1
export const PREFIX = 'full-'
export const PARTIAL = '.partial'

export type { BackupKind } from '@medaffairs/plugin-sdk'

export interface ColumnInfo {
  name: string
  /** format_type(): e.g. `text`, `timestamp with time zone`, `jsonb`. */
  type: string
  notNull: boolean
  /** The default expression, as pg_get_expr prints it. */
  default: string | null
  /** A non-default collation (collection tables use "C"). */
  collation: string | null
}

export interface TableSchema {
  columns: ColumnInfo[]
  /** pg_get_constraintdef() of each constraint, by name. */
  constraints: Array<{ name: string; def: string }>
  /** pg_get_indexdef() of indexes that do not back a constraint, with their comment. */
  indexes: Array<{ name: string; def: string; comment: string | null }>
}

export interface TablePart {
  table: string
  /** Path of the part inside the backup folder. */
  part: string
  rows: number
  bytes: number
  sha256: string
  schema: TableSchema
}

export interface Manifest {
  format: typeof FORMAT
  formatVersion: number
  id: string
  kind: BackupKind
  createdAt: string
  /** Seconds the backup took to write. */
  seconds: number
  driver: 'pglite' | 'pg'
  appVersion: string
  /** Every applied migration, `scope/id`: a restore needs the same set. */
  migrations: string[]
  /**
   * Fingerprints of the master keys that wrapped the data keys in this backup. The master
   * key itself is never in a backup: it must be kept apart (see docs/operations.md).
   */
  masterKeys: string[]
  tables: TablePart[]
  sequences: Array<{ name: string; value: number | null }>
  files: { part: string; count: number; bytes: number; sha256: string; missing: string[] }
  /** Sum of the sizes of every part (the blobs counted once, shared ones included). */
  bytes: number
}

/** `full-20261126T020000Z-scheduled`: sorts by time, says what made it. */
export function backupId(at: Date, kind: BackupKind): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${PREFIX}${stamp}-${kind}`
}

const ID = /^full-(\d{8}T\d{6}Z)-(scheduled|manual|command)$/

export function isBackupId(name: string): boolean {
  return ID.test(name)
}

/** The time a backup id names. */
export function backupTime(id: string): Date {
  const m = ID.exec(id)
  if (!m) throw new Error(`not a backup id: ${id}`)
  const s = m[1]
  return new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`
  )
}

export function backupKind(id: string): BackupKind {
  const m = ID.exec(id)
  if (!m) throw new Error(`not a backup id: ${id}`)
  return m[2] as BackupKind
}

export const tablePart = (table: string) => `tables/${table}.ndjson.gz`
export const FILES_LIST = 'files.ndjson.gz'
export const filePath = (key: string) => join('files', key.slice(0, 2), key.slice(2, 4), key)
export const MANIFEST = 'manifest.json'
