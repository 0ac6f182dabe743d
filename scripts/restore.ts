// `npm run restore -- <backup folder or .tar> [--force]` restores a full backup into the
// configured database (DATABASE_URL, or the embedded one in DATA_DIR) and files folder.
// `npm run restore -- <backup> --verify` only checks the backup's checksums.
import {
  BackupInvalidError,
  restoreBackup,
  RestoreRefusedError,
  verifyBackup
} from '../core/src/backup/index.js'
import { prepareWorkspaceSchema } from '../core/src/backup/prepare.js'
import { loadConfig } from '../core/src/config.js'
import { masterKeySource, readMasterKey } from '../core/src/crypto/index.js'
import { MasterKeyError } from '../core/src/crypto/errors.js'
import { DataDirLockedError } from '../core/src/db/data-dir-lock.js'
import { openDb } from '../core/src/db/open.js'
import { resolveFilesConfig } from '../core/src/files/config.js'

const args = process.argv.slice(2)
const source = args.find((a) => !a.startsWith('--'))
if (!source) {
  console.error('usage: npm run restore -- <backup folder or .tar> [--force] | <backup> --verify')
  process.exit(2)
}
const config = loadConfig()

try {
  if (args.includes('--verify')) {
    const m = await verifyBackup(source)
    console.log(`backup ${m.id} intact: ${m.tables.length} tables, ${m.files.count} files verified`)
  } else {
    const master = readMasterKey(
      masterKeySource({ dataDir: config.dataDir, masterKeyFile: config.crypto?.masterKeyFile })
    )
    const summary = await restoreBackup({
      source,
      force: args.includes('--force'),
      filesDir: resolveFilesConfig(config.files, config.dataDir).dir,
      masterKeyFingerprint: master?.fingerprint ?? null,
      jobsSchema: config.jobs?.schema,
      openTarget: () => openDb({ databaseUrl: config.databaseUrl ?? undefined, dataDir: config.dataDir }),
      prepareSchema: (db) => prepareWorkspaceSchema(db, {}),
      log: (message) => console.log(message)
    })
    const created = summary.load.createdTables.length
      ? `, ${summary.load.createdTables.length} made from the backup's description`
      : ''
    console.log(`restored ${summary.id} (taken ${summary.createdAt}) in ${summary.seconds.toFixed(1)} s:`)
    console.log(
      `  ${summary.load.tables} tables${created}, ${summary.load.rows} rows, ${summary.files.count} files (${(summary.files.bytes / 1048576).toFixed(1)} MB)`
    )
    const st = summary.stages
    console.log(
      `  stages: checksums ${st.verify.toFixed(1)} s, schema ${st.schema.toFixed(1)} s, tables ${st.load.toFixed(1)} s, files ${st.files.toFixed(1)} s`
    )
    console.log('  check the audit trail with: npm run audit -- verify')
  }
} catch (error) {
  const known = [DataDirLockedError, RestoreRefusedError, BackupInvalidError, MasterKeyError].some(
    (E) => error instanceof E
  )
  console.error(known ? `\n${(error as Error).message}\n` : error)
  process.exitCode = 1
}
