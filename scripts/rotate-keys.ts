// `npm run rotate-keys` makes a new data key, re-encrypts every row under it while the servers
// keep serving, and retires the old key once no row uses it. Run it again to resume.
//   --no-new-key          only re-encrypt (resume, or seal values of fields newly marked sensitive)
//   --new-master <path>   re-wrap the keys under another master key (made there if the file is new)
//   --batch <rows>        rows per batch (default 500)
//   --settle <seconds>    how long servers get to switch to the new key (default 12)
// Uses DATABASE_URL, or the embedded database in DATA_DIR (which the server must not hold).
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import { loadConfig } from '../core/src/config.js'
import {
  compileCodec,
  MasterKey,
  MasterKeyError,
  openFieldCrypto,
  readMasterKey,
  rewrapMasterKey,
  rotateDataKeys,
  writeMasterKeyFile,
  type FieldCrypto
} from '../core/src/crypto/index.js'
import { DataDirLockedError, openDb, type Db } from '../core/src/db/index.js'
import * as identity from '../core/src/identity/collections.js'
import { discoverPlugins } from '../core/src/plugins/discover.js'

const { values: args } = parseArgs({
  options: {
    'no-new-key': { type: 'boolean', default: false },
    'new-master': { type: 'string' },
    batch: { type: 'string', default: '500' },
    settle: { type: 'string', default: '12' }
  }
})

/** Every collection the server would load: the core's own and the plugins'. */
async function definitions(pluginsDir: string): Promise<CollectionDefinition[]> {
  const core = Object.values(identity).filter(
    (v): v is CollectionDefinition => typeof v === 'object' && v !== null && 'fields' in v && 'name' in v
  )
  const plugins = await discoverPlugins(pluginsDir)
  return [...core, ...plugins.flatMap((p) => p.collections ?? [])]
}

async function rotateData(db: Db, crypto: FieldCrypto, pluginsDir: string): Promise<number> {
  const codecs = (await definitions(pluginsDir)).map((d) => compileCodec(d)).filter((c) => c.fields.length)
  console.log(`collections with sensitive fields: ${codecs.map((c) => c.collection).join(', ') || '(none)'}`)
  const report = await rotateDataKeys(db, crypto, {
    newKey: !args['no-new-key'],
    batchSize: Number(args.batch),
    settleMs: Number(args.settle) * 1000,
    codecs,
    onProgress: (p) => console.log(`  ${p.table} pass ${p.pass}: ${p.done}/${p.total}`)
  })
  console.log(
    `${report.created ? 'new' : 'resumed'} data key v${report.target}: ${report.updated} rows re-encrypted in ${report.passes} passes ` +
      `(${report.skipped} retried after concurrent edits)`
  )
  if (report.retired.length) console.log(`retired: ${report.retired.map((v) => `v${v}`).join(', ')}`)
  for (const f of report.failures) console.error(`  could not re-encrypt ${f.table} ${f.id}: ${f.error}`)
  const left = Object.entries(report.remaining).filter(([, n]) => n > 0)
  for (const [v, n] of left)
    console.error(`still in use, not retired: v${v} (${n} rows) — run the command again`)
  return left.length || report.failures.length ? 2 : 0
}

async function rotateMaster(crypto: FieldCrypto, path: string): Promise<number> {
  const file = resolve(path)
  const next = existsSync(file)
    ? readMasterKey({ kind: 'file', path: file, setting: '--new-master' })!
    : writeMasterKeyFile(file, MasterKey.generate(file))
  const count = await rewrapMasterKey(crypto, next)
  console.log(`re-wrapped ${count} keys under ${file} (fingerprint ${next.fingerprint})`)
  console.log(
    `next: point MEDAFFAIRS_MASTER_KEY_FILE or crypto.masterKeyFile at ${file} (or move it over the old key file) and restart\n` +
      `the servers one by one. Keep the old master key as long as backups taken before now are kept: they need it.\n` +
      `下一步：将 MEDAFFAIRS_MASTER_KEY_FILE 或 crypto.masterKeyFile 指向新密钥文件并逐台重启；此前的备份仍需旧主密钥，请妥善保留。`
  )
  return 0
}

const config = loadConfig()
let db: Db | undefined
let crypto: FieldCrypto | undefined
try {
  db = await openDb({ databaseUrl: config.databaseUrl ?? undefined, dataDir: config.dataDir })
  const masterKeyFile = (config as { crypto?: { masterKeyFile?: string | null } }).crypto?.masterKeyFile
  crypto = await openFieldCrypto(db, {
    dataDir: config.dataDir,
    masterKeyFile,
    refreshMs: 0,
    logger: console
  })
  const newMaster = args['new-master']
  process.exitCode = newMaster
    ? await rotateMaster(crypto, newMaster)
    : await rotateData(db, crypto, config.pluginsDir)
} catch (error) {
  if (error instanceof DataDirLockedError) {
    console.error(
      `${error.message}\nThe embedded database belongs to the running server: stop it for the rotation, or use a PostgreSQL server (DATABASE_URL) to rotate without downtime.`
    )
  } else if (error instanceof MasterKeyError) console.error(error.message)
  else console.error(error)
  process.exitCode = 1
} finally {
  crypto?.close()
  await db?.close()
}
