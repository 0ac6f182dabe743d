// `npm run bench [-- --n 100000 --drivers pglite,pg --runs 200]`: storage and identity figures
// on both drivers, written to docs/performance.md (between the bench markers).
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { definePlugin, type DriverName } from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import { createTestDb, SERVER_URL } from '../support/db.js'
import { departmentTree, loginBench, scopedListBench } from './identity.bench.js'
import { ms } from './stats.js'
import { benchStaff } from './staff-docs.js'
import { bulkInsert, queryBench, type Row } from './storage.bench.js'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    drivers: { type: 'string', default: 'pglite,pg' },
    runs: { type: 'string', default: '200' },
    loaders: { type: 'string', default: '1' },
    'no-write': { type: 'boolean', default: false }
  }
})
const N = Number(values.n)
const RUNS = Number(values.runs)
const LOADERS = Number(values.loaders)
const plugin = definePlugin({ name: 'bench', version: '1.0.0', collections: [benchStaff] })

async function benchDriver(driver: DriverName): Promise<string[]> {
  console.log(`\n== ${driver}: ${N.toLocaleString()} documents`)
  const t = await createTestDb(driver)
  const server: MedAffairsServer = await createServer({
    db: t.db,
    plugins: [plugin],
    config: {
      logLevel: 'error',
      seed: 'none',
      identity: {
        login: {
          perAccount: { points: 1e6, windowSeconds: 60 },
          perAddress: { points: 1e6, windowSeconds: 60 }
        }
      }
    }
  })
  try {
    const tree = await departmentTree(server)
    const rate = await bulkInsert(server, N, tree.all, 10_000, false, 0, LOADERS)
    console.log(`  bulk insert: ${Math.round(rate).toLocaleString()} docs/s`)
    const auditedN = Math.min(20_000, N)
    const auditedRate = await bulkInsert(server, auditedN, tree.all, 5_000, true, N)
    console.log(`  bulk insert with audit: ${Math.round(auditedRate).toLocaleString()} docs/s`)
    await server.db.query('ANALYZE c_bench_staff')
    const rows: Row[] = await queryBench(server, N, RUNS)
    const scope = await scopedListBench(server, tree.levels[2][0], tree.levels[0][0], RUNS)
    const login = await loginBench(server, tree.levels[0][0], 30)
    const lines = [
      `| bulk insert, adapter bulk path (multi-create of 10,000, internal, no audit, ${LOADERS} loader${LOADERS > 1 ? 's side by side' : ''}) | ${Math.round(rate).toLocaleString()} docs/s | | |`,
      `| bulk insert with one audit entry per document (${auditedN.toLocaleString()} docs) | ${Math.round(auditedRate).toLocaleString()} docs/s | | |`,
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.service ? `${ms(r.service.p50)} / ${ms(r.service.p95)}` : '–'} | ${r.raw ? `${ms(r.raw.p50)} / ${ms(r.raw.p95)}` : '–'} | ${r.service && r.raw ? ms(r.service.p50 - r.raw.p50) : ''} |`
      ),
      `| list page via the records pipeline, administrator (scope all, ${scope.adminRows.toLocaleString()} rows) | ${ms(scope.admin.p50)} / ${ms(scope.admin.p95)} | | |`,
      `| same list, member with "department and below" (${scope.memberRows.toLocaleString()} rows) | ${ms(scope.member.p50)} / ${ms(scope.member.p95)} | | ratio p50 ${(scope.member.p50 / scope.admin.p50).toFixed(2)}× |`,
      `| login (bcrypt cost 10, session, JWT) | ${ms(login.p50)} / ${ms(login.p95)} | | |`
    ]
    for (const l of lines) console.log(l)
    return lines
  } finally {
    await server.close()
    await t.drop()
  }
}

/** The machine and the server's settings that decide bulk-write speed (see docs/deployment.md). */
async function machine(): Promise<string> {
  const server = await (async () => {
    const c = new pg.Client({ connectionString: SERVER_URL })
    try {
      await c.connect()
      const show = async (name: string) => (await c.query(`SHOW ${name}`)).rows[0][name] as string
      return `PostgreSQL ${await show('server_version')} (shared_buffers ${await show('shared_buffers')}, max_wal_size ${await show('max_wal_size')})`
    } catch {
      return 'PostgreSQL unknown'
    } finally {
      await c.end().catch(() => undefined)
    }
  })()
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${server}, PGlite 0.5.16, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`
}

const sections: string[] = []
for (const driver of values.drivers!.split(',') as DriverName[]) {
  const lines = await benchDriver(driver)
  sections.push(
    `### ${driver === 'pg' ? 'PostgreSQL server' : 'PGlite (embedded)'}\n\n| measurement | service p50 / p95 ms | raw SQL p50 / p95 ms | service adds (p50 ms) |\n|---|---|---|---|\n${lines.join('\n')}`
  )
}
const block = `<!-- bench:start -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${await machine()}, ${N.toLocaleString()} documents, ${RUNS} runs each after a warm-up, with\n\`${process.env.TEST_DATABASE_URL ? `TEST_DATABASE_URL=${process.env.TEST_DATABASE_URL} ` : ''}npm run bench -- --n ${N} --drivers ${values.drivers} --runs ${RUNS}${LOADERS > 1 ? ` --loaders ${LOADERS}` : ''}\`.\n\n${sections.join('\n\n')}\n<!-- bench:end -->`
if (!values['no-write']) {
  const file = join(import.meta.dirname, '..', '..', 'docs', 'performance.md')
  const doc = readFileSync(file, 'utf8')
  writeFileSync(file, doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block))
  console.log(`\nwritten to ${file}`)
}
