import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '@medaffairs/plugin-sdk'
import { dumpTables, type Progress } from './dump.js'
import { backupFiles } from './files-copy.js'
import {
  backupId,
  FILES_LIST,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST,
  PARTIAL,
  type BackupKind,
  type Manifest
} from './format.js'
import { listBackups } from './store.js'

export interface CreateBackupOptions {
  db: Db
  /** The folder backups go to (`backup.dir`). */
  root: string
  /** The files store's folder (`files.dir`). */
  filesDir: string
  kind: BackupKind
  appVersion: string
  progress?: Progress
  signal?: AbortSignal
  /** The backup's time (tests of retention); default now. */
  now?: Date
}

/**
 * Writes a full backup: every table of the workspace from one snapshot, then the files store.
 * Progress runs 0–100: tables take the first 70, files the rest. On any failure the
 * unfinished folder is removed and nothing is listed.
 */
export async function createBackup(options: CreateBackupOptions): Promise<Manifest> {
  const started = Date.now()
  const at = options.now ?? new Date()
  const id = backupId(at, options.kind)
  const dir = join(options.root, `${id}${PARTIAL}`)
  const report = options.progress ?? (() => undefined)
  await mkdir(options.root, { recursive: true })
  // The newest finished backup shares its unchanged blobs with this one (hard links).
  const previous = (await listBackups(options.root))[0]
  await mkdir(dir)
  try {
    const snapshot = await dumpTables(
      options.db,
      dir,
      (done, total, table) => report(Math.round((70 * done) / total), 100, `表 ${table} (table)`),
      options.signal
    )
    const files = await backupFiles(
      options.filesDir,
      dir,
      previous && join(options.root, previous.id),
      (done, total) => void report(70 + Math.round((30 * done) / Math.max(total, 1)), 100, '文件 (files)'),
      options.signal
    )
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      id,
      kind: options.kind,
      createdAt: at.toISOString(),
      seconds: (Date.now() - started) / 1000,
      driver: options.db.driver,
      appVersion: options.appVersion,
      migrations: snapshot.migrations,
      masterKeys: snapshot.masterKeys,
      tables: snapshot.tables,
      sequences: snapshot.sequences,
      files: {
        part: FILES_LIST,
        count: files.count,
        bytes: files.bytes,
        sha256: files.sha256,
        missing: files.missing
      },
      bytes: snapshot.tables.reduce((sum, t) => sum + t.bytes, 0) + files.bytes
    }
    await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
    await rename(dir, join(options.root, id))
    await report(100, 100, '完成 (done)')
    return manifest
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
