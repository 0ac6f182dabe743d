// `node_modules/.bin/tsx tests/bench/ten-million.bench.ts [--n 10000000] [--phase fill,query] [--runs 100] [--database medaffairs_bench_10m] [--drop]`
// Issue #2's largest figure: on the PostgreSQL server (TEST_DATABASE_URL, default the local
// one) at 10,000,000 staff-like documents, an indexed filter + sort + limit 20 with an
// estimated count, through the service and as raw SQL: p95 ≤ 50 ms. Filling 10M rows takes
// a while, so the database is kept between runs (`--phase fill` resumes where it stopped;
// `--phase query` measures what is there; `--drop` removes it). Not part of `npm test`.
import { parseArgs } from 'node:util'
import pg from 'pg'
import { definePlugin } from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import { openPg } from '../../core/src/db/index.js'
import { translateQuery } from '../../core/src/storage/index.js'
import { SERVER_URL } from '../support/db.js'
import { measure, ms, type Timing } from './stats.js'
import { benchStaff, staffBatch } from './staff-docs.js'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000000' },
    phase: { type: 'string', default: 'fill,query' },
    runs: { type: 'string', default: '100' },
    database: { type: 'string', default: 'medaffairs_bench_10m' },
    drop: { type: 'boolean', default: false }
  }
})
const N = Number(values.n)
const PHASES = new Set(values.phase.split(','))
const DB_NAME = values.database.replace(/[^a-z0-9_]/g, '')
const plugin = definePlugin({ name: 'bench', version: '1.0.0', collections: [benchStaff] })
const DEPTS = Array.from({ length: 50 }, (_, i) => `dept-${String(i).padStart(2, '0')}`)
const BATCH = 10_000

async function admin(sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: SERVER_URL })
  await c.connect()
  try {
    return (await c.query(sql)).rowCount ?? 0
  } finally {
    await c.end()
  }
}

function urlOf(name: string): string {
  const u = new URL(SERVER_URL)
  u.pathname = `/${name}`
  return u.toString()
}

async function openServer(): Promise<MedAffairsServer> {
  const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'`)
  if (!exists) await admin(`CREATE DATABASE ${DB_NAME} TEMPLATE template0 ENCODING 'UTF8'`)
  const db = await openPg(urlOf(DB_NAME), 5)
  return createServer({ db, plugins: [plugin], config: { logLevel: 'error', seed: 'none' } })
}

/** Inserts through the adapter's bulk path from the current row count up to N (rows are numbered, so it resumes). */
async function fill(server: MedAffairsServer): Promise<void> {
  const service = server.app.service('bench-staff')
  const have = Number(
    (await server.db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM c_bench_staff')).rows[0].n
  )
  const from = Math.floor(have / BATCH) * BATCH
  if (from > have) throw new Error(`expected a multiple of ${BATCH} rows, found ${have}`)
  console.log(`filling ${from.toLocaleString()} → ${N.toLocaleString()}`)
  const t0 = performance.now()
  let lap = performance.now()
  for (let i = from; i < N; i += BATCH) {
    await service.create(staffBatch(i, Math.min(BATCH, N - i), DEPTS), { audit: false } as never)
    if ((i + BATCH) % 500_000 === 0) {
      const now = performance.now()
      console.log(
        `  ${(i + BATCH).toLocaleString()} rows, last 500k at ${Math.round(500_000 / ((now - lap) / 1000)).toLocaleString()} docs/s`
      )
      lap = now
    }
  }
  const rate = (N - from) / ((performance.now() - t0) / 1000)
  console.log(`filled ${(N - from).toLocaleString()} rows at ${Math.round(rate).toLocaleString()} docs/s`)
  await server.db.query('VACUUM ANALYZE c_bench_staff')
}

/** The issue's query: indexed filters, an indexed sort, limit 20, the planner's row estimate as the total. */
function issueQuery(i: number): Record<string, unknown> {
  return {
    status: 'active',
    deptCode: `D${String(i % 50).padStart(3, '0')}`,
    $sort: { hireDate: -1 },
    $limit: 20,
    $count: 'estimated'
  }
}

async function query(server: MedAffairsServer, runs: number): Promise<void> {
  const service = server.app.service('bench-staff')
  const rows = Number(
    (
      await server.db.query<{ n: number }>('SELECT reltuples::bigint AS n FROM pg_class WHERE relname = $1', [
        'c_bench_staff'
      ])
    ).rows[0].n
  )
  const raw = (i: number) => {
    const t = translateQuery(issueQuery(i), benchStaff)
    return server.db.query(
      `SELECT * FROM c_bench_staff WHERE deleted_at IS NULL AND (${t.where}) ORDER BY ${t.orderBy} LIMIT 20`,
      [...t.params]
    )
  }
  const nested = (i: number) => ({
    $and: [
      { status: 'active' },
      {
        $or: [
          { titleSeries: 'physician', grade: { $gte: 1 + (i % 4) } },
          { deptCode: { $in: ['D001', 'D002', 'D003'] } }
        ]
      }
    ],
    $sort: { hireDate: -1 },
    $limit: 20,
    $count: 'estimated'
  })
  const line = (name: string, t: Timing, r?: Timing) =>
    console.log(`| ${name} | ${ms(t.p50)} / ${ms(t.p95)} | ${r ? `${ms(r.p50)} / ${ms(r.p95)}` : '–'} |`)
  const first = (await service.find({ query: issueQuery(0) })) as { total: number; data: unknown[] }
  console.log(
    `\n${rows.toLocaleString()} rows (planner); first page ${first.data.length} rows, estimated total ${first.total.toLocaleString()}\n`
  )
  console.log('| query (10M documents) | service p50 / p95 ms | raw SQL p50 / p95 ms |')
  console.log('|---|---|---|')
  line(
    'status + department, sort by hire date, limit 20, estimated count',
    await measure(runs, (i) => service.find({ query: issueQuery(i) })),
    await measure(runs, raw)
  )
  line(
    'nested AND/OR + sort by hire date, limit 20, estimated count',
    await measure(runs, (i) => service.find({ query: nested(i) }))
  )
  line(
    'indexed equality (username = …)',
    await measure(runs, (i) =>
      service.find({
        query: { username: `U${String((i * 7919) % N).padStart(8, '0')}`, $limit: 20, $count: 'none' }
      })
    )
  )
}

async function main(): Promise<void> {
  if (values.drop) {
    await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
    return console.log(`dropped ${DB_NAME}`)
  }
  const server = await openServer()
  try {
    if (PHASES.has('fill')) await fill(server)
    if (PHASES.has('query')) await query(server, Number(values.runs))
  } finally {
    await server.close()
  }
}

await main()
