// `npx tsx tests/bench/backup.bench.ts [--n 100000] [--drivers pglite,pg]`: full backup and
// restore of the demo workspace, then of the same workspace with an N-record collection;
// time and size of each, on each driver. Figures go to docs/operations.md by hand.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { definePlugin, type Db, type DriverName, type PluginDefinition } from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import { createBackup } from '../../core/src/backup/create.js'
import { prepareWorkspaceSchema } from '../../core/src/backup/prepare.js'
import { restoreBackup } from '../../core/src/backup/restore.js'
import { openPg, openPglite } from '../../core/src/db/index.js'
import { discoverPlugins } from '../../core/src/plugins/discover.js'
import { createServerDatabase, createTestDb } from '../support/db.js'
import { departmentTree } from './identity.bench.js'
import { benchStaff } from './staff-docs.js'
import { bulkInsert } from './storage.bench.js'

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, drivers: { type: 'string', default: 'pglite,pg' } }
})
const N = Number(values.n)
const MB = (b: number) => `${(b / 1048576).toFixed(1)} MB`

async function target(
  driver: DriverName,
  dir: string
): Promise<{ open(): Promise<Db>; drop(): Promise<void> }> {
  if (driver === 'pglite') return { open: () => openPglite(join(dir, 'db')), drop: async () => undefined }
  const s = await createServerDatabase()
  return { open: () => openPg(s.url, 3), drop: () => s.drop() }
}

/** One backup and one restore of the server's workspace; prints and returns a table row. */
async function roundTrip(
  label: string,
  driver: DriverName,
  server: MedAffairsServer,
  plugins: PluginDefinition[],
  work: string,
  master: string
): Promise<string> {
  const t0 = performance.now()
  const m = await createBackup({
    db: server.db,
    root: join(work, 'backups'),
    filesDir: server.files.config.dir,
    kind: 'command',
    appVersion: 'bench'
  })
  const backupS = (performance.now() - t0) / 1000
  const rows = m.tables.reduce((s, t) => s + t.rows, 0)
  const dir = join(work, `restore-${m.id}`)
  const tgt = await target(driver, dir)
  const t1 = performance.now()
  const summary = await restoreBackup({
    source: join(work, 'backups', m.id),
    openTarget: tgt.open,
    filesDir: join(dir, 'files'),
    masterKeyFingerprint: m.masterKeys[0] ?? null,
    prepareSchema: (db) =>
      prepareWorkspaceSchema(db, { dataDir: dir, crypto: { masterKeyFile: master } }, plugins)
  })
  const restoreS = (performance.now() - t1) / 1000
  await tgt.drop()
  const st = summary.stages
  const stages = `checksums ${st.verify.toFixed(1)}, schema ${st.schema.toFixed(1)}, tables ${st.load.toFixed(1)}, files ${st.files.toFixed(1)}`
  const line = `| ${label} | ${driver} | ${rows.toLocaleString()} rows, ${m.tables.length} tables, ${m.files.count} files | ${MB(m.bytes)} | ${backupS.toFixed(1)} s | ${restoreS.toFixed(1)} s (${stages}) |`
  console.log(line)
  return line
}

async function benchDriver(driver: DriverName): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), 'medaffairs-backup-bench-'))
  const master = join(work, 'master.pem')
  const plugins = [
    ...(await discoverPlugins(join(import.meta.dirname, '..', '..', 'plugins'))),
    definePlugin({ name: 'bench', version: '1.0.0', collections: [benchStaff] })
  ]
  const t = await createTestDb(driver)
  const server = await createServer({
    db: t.db,
    plugins,
    config: {
      logLevel: 'error',
      seed: 'demo',
      dataDir: work,
      crypto: { masterKeyFile: master },
      backup: { cron: '' }
    }
  })
  try {
    const lines = [await roundTrip('demo workspace', driver, server, plugins, work, master)]
    await bulkInsert(server, N, (await departmentTree(server)).all)
    lines.push(
      await roundTrip(
        `demo + ${N.toLocaleString()} staff-like records`,
        driver,
        server,
        plugins,
        work,
        master
      )
    )
    return lines
  } finally {
    await server.close()
    await t.drop()
    await rm(work, { recursive: true, force: true })
  }
}

console.log(
  '| workspace | driver | contents | size | backup | restore (schema + load + files) |\n|---|---|---|---|---|---|'
)
for (const driver of values.drivers.split(',') as DriverName[]) await benchDriver(driver)
