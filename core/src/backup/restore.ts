import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '@medaffairs/plugin-sdk'
import { restoreFiles } from './files-copy.js'
import { isBackupId, type Manifest } from './format.js'
import { loadTables, RestoreRefusedError, type LoadReport } from './load.js'
import { extractTar } from './tar.js'
import { prepareTargetDb, prepareTargetFiles } from './target.js'
import { verifyBackup } from './verify.js'

export interface RestoreOptions {
  /** A backup folder, or a `.tar` of one (as downloaded). */
  source: string
  /** Opens the target database; PGlite takes its folder's lock here (a running server refuses it). */
  openTarget(): Promise<Db>
  filesDir: string
  /** Fingerprint of the configured master key, or null when none is configured. */
  masterKeyFingerprint: string | null
  /** Builds this version's empty workspace (migrations, plugin tables) on the target. */
  prepareSchema(db: Db): Promise<void>
  /** pg-boss's schema, dropped with the workspace on --force. */
  jobsSchema?: string
  force?: boolean
  log?(message: string): void
}

export interface RestoreSummary {
  id: string
  createdAt: string
  seconds: number
  load: LoadReport
  files: { count: number; bytes: number }
  /** Seconds per stage: checksums, schema (migrations, plugins), table load, files. */
  stages: { verify: number; schema: number; load: number; files: number }
}

/** A folder as it is, a tar unpacked into a temporary folder (removed by the returned cleanup). */
async function openSource(source: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const info = await stat(source).catch(() => null)
  if (!info) throw new RestoreRefusedError(`找不到备份 ${source} (no backup at ${source})`)
  if (info.isDirectory()) return { dir: source, cleanup: async () => undefined }
  const temp = await mkdtemp(join(tmpdir(), 'medaffairs-restore-'))
  const cleanup = () => rm(temp, { recursive: true, force: true })
  try {
    await extractTar(source, temp)
    const top = (await readdir(temp)).filter(isBackupId)
    if (top.length !== 1)
      throw new RestoreRefusedError(`${source} 不是一个备份的 tar 文件 (is not the tar of one backup)`)
    return { dir: join(temp, top[0]), cleanup }
  } catch (error) {
    await cleanup()
    throw error
  }
}

function checkMasterKey(manifest: Manifest, fingerprint: string | null): void {
  if (!manifest.masterKeys.length) return
  if (fingerprint && manifest.masterKeys.includes(fingerprint)) return
  throw new RestoreRefusedError(
    `需要备份时使用的主密钥（指纹 ${manifest.masterKeys.join(', ')}），当前${fingerprint ? `主密钥指纹为 ${fingerprint}` : '没有配置主密钥'}。` +
      `请设置 MEDAFFAIRS_MASTER_KEY_FILE (the backup's data keys are wrapped by master key ${manifest.masterKeys.join(', ')}; ` +
      `${fingerprint ? `the configured key is ${fingerprint}` : 'no master key is configured'}. Point MEDAFFAIRS_MASTER_KEY_FILE at the key kept with your backups)`
  )
}

async function checkMigrations(db: Db, manifest: Manifest): Promise<void> {
  const { rows } = await db.query<{ m: string }>(`SELECT scope || '/' || id AS m FROM _migrations`)
  const here = new Set(rows.map((r) => r.m))
  const there = new Set(manifest.migrations)
  const newer = manifest.migrations.filter((m) => !here.has(m))
  const older = [...here].filter((m) => !there.has(m)).sort()
  if (!newer.length && !older.length) return
  throw new RestoreRefusedError(
    `备份与当前程序版本的数据库迁移不一致，请用生成该备份的版本 (${manifest.appVersion}) 恢复 (the backup's migrations differ from this version's; restore with the version that made it):` +
      (newer.length ? `\n  only in the backup: ${newer.join(', ')}` : '') +
      (older.length ? `\n  only in this version: ${older.join(', ')}` : '')
  )
}

/**
 * Restores a backup into an empty workspace: verify every checksum, check the master key,
 * refuse a database in use, build this version's schema, compare migrations, load every
 * table in one transaction, then put the files back.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const started = Date.now()
  const log = options.log ?? (() => undefined)
  const source = await openSource(options.source)
  let mark = Date.now()
  const lap = () => (Date.now() - mark) / 1000 + ((mark = Date.now()), 0)
  try {
    log('校验备份 (verifying checksums)…')
    const manifest = await verifyBackup(source.dir)
    const verify = lap()
    checkMasterKey(manifest, options.masterKeyFingerprint)
    const db = await options.openTarget()
    try {
      await prepareTargetDb(db, Boolean(options.force), options.jobsSchema ?? 'pgboss')
      await prepareTargetFiles(options.filesDir, Boolean(options.force))
      log('建立数据库结构 (building the schema)…')
      await options.prepareSchema(db)
      await checkMigrations(db, manifest)
      const schema = lap()
      log(`载入 ${manifest.tables.length} 张表 (loading tables)…`)
      let lastPercent = -1
      const load = await loadTables(db, source.dir, manifest, (done, total) => {
        const percent = Math.floor((100 * done) / Math.max(total, 1))
        if (percent >= lastPercent + 10) log(`  ${(lastPercent = percent)}% (${done}/${total} rows)`)
      })
      const loaded = lap()
      log(`恢复 ${manifest.files.count} 个文件 (restoring files)…`)
      const files = await restoreFiles(source.dir, options.filesDir, () => undefined)
      const stages = { verify, schema, load: loaded, files: lap() }
      return {
        id: manifest.id,
        createdAt: manifest.createdAt,
        seconds: (Date.now() - started) / 1000,
        load,
        files,
        stages
      }
    } finally {
      await db.close()
    }
  } finally {
    await source.cleanup()
  }
}
