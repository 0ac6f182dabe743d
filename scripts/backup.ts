// `npm run backup` writes a full backup (every table, the files store) to backup.dir
// (default <DATA_DIR>/backups) and applies the retention policy. Uses DATABASE_URL, or the
// embedded database in DATA_DIR: stop the server first then (or use POST /api/backups).
import { resolveBackupConfig, appVersion, BackupRunner } from '../core/src/backup/index.js'
import { loadConfig, repoRoot } from '../core/src/config.js'
import { DataDirLockedError } from '../core/src/db/data-dir-lock.js'
import { openDb } from '../core/src/db/open.js'
import { resolveFilesConfig } from '../core/src/files/config.js'

const args = process.argv.slice(2)
const dirArg = args.indexOf('--dir')
const config = loadConfig(dirArg >= 0 ? { backup: { dir: args[dirArg + 1] } } : {})
const backup = resolveBackupConfig(config.backup, config.dataDir)
const filesDir = resolveFilesConfig(config.files, config.dataDir).dir

try {
  const db = await openDb({ databaseUrl: config.databaseUrl ?? undefined, dataDir: config.dataDir })
  try {
    const runner = new BackupRunner({
      db,
      root: backup.dir,
      filesDir,
      retention: backup.retention,
      appVersion: appVersion(repoRoot())
    })
    let shown = -1
    const { manifest, pruned } = await runner.run('command', (done, total, message) => {
      const percent = Math.floor((100 * done) / Math.max(total, 1))
      if (percent >= shown + 10) console.log(`  ${(shown = percent)}% ${message}`)
    })
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0)
    console.log(`backup written: ${backup.dir}/${manifest.id}`)
    console.log(
      `  ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.count} files, ${(manifest.bytes / 1048576).toFixed(1)} MB, ${manifest.seconds.toFixed(1)} s`
    )
    if (manifest.files.missing.length)
      console.log(`  ${manifest.files.missing.length} files were purged while the backup ran (not in it)`)
    if (pruned.length) console.log(`  retention removed: ${pruned.join(', ')}`)
    console.log('  the master key is NOT in the backup: keep it apart (docs/operations.md)')
  } finally {
    await db.close()
  }
} catch (error) {
  if (error instanceof DataDirLockedError)
    console.error(
      `\n${error.message}\nWhile the server runs, start a backup from it instead: POST /api/backups (system administrator).\n`
    )
  else console.error(error)
  process.exitCode = 1
}
