import type { MedAffairsServer } from '../../core/src/app.js'
import { translateQuery } from '../../core/src/storage/index.js'
import { interleaved, measure, timing, type Timing } from './stats.js'
import { benchStaff, staffBatch } from './staff-docs.js'

export interface Row {
  name: string
  service?: Timing
  raw?: Timing
  note?: string
}

const TABLE = 'c_bench_staff'

/** The SQL the adapter runs for a query, run directly (to show what the service adds). */
function rawRunner(server: MedAffairsServer, query: Record<string, unknown>) {
  const t = translateQuery(query, benchStaff)
  const p = [...t.params]
  let sql = `SELECT * FROM ${TABLE} WHERE deleted_at IS NULL AND (${t.where})${t.after ? ` AND ${t.after.sql}` : ''} ORDER BY ${t.orderBy}`
  if (t.after) p.push(...t.after.params)
  sql += ` LIMIT ${t.limit ?? 20}`
  if (t.skip) sql += ` OFFSET ${t.skip}`
  return () => server.db.query(sql, p)
}

/**
 * Bulk-inserts `n` documents through the service's multi-create, in batches. `audited: false`
 * measures the adapter's bulk path (an internal call without the per-row audit entries);
 * `true` is what an import pays with one hash-chained audit entry per document. `loaders`
 * callers run side by side, each its own multi-creates (and transactions), as parallel
 * import jobs would: the server's backends then share the cores.
 */
export async function bulkInsert(
  server: MedAffairsServer,
  n: number,
  deptIds: string[],
  batch = 10_000,
  audited = false,
  start = 0,
  loaders = 1
): Promise<number> {
  const service = server.app.service('bench-staff')
  const t0 = performance.now()
  let next = start
  let done = 0
  const loader = async () => {
    for (let i = next; i < start + n; i = next) {
      next += batch
      const docs = staffBatch(i, Math.min(batch, start + n - i), deptIds)
      await service.create(docs, { audit: audited } as never)
      done += docs.length
      if ((done / batch) % 10 === 0) process.stdout.write(`  inserted ${done}\n`)
    }
  }
  await Promise.all(Array.from({ length: loaders }, loader))
  return n / ((performance.now() - t0) / 1000)
}

export async function queryBench(server: MedAffairsServer, n: number, runs: number): Promise<Row[]> {
  const service = server.app.service('bench-staff')
  const find = (query: Record<string, unknown>) => () => service.find({ query })
  const pick = (i: number) => `U${String((i * 7919) % n).padStart(8, '0')}`
  const rows: Row[] = []
  const pair = async (name: string, query: (i: number) => Record<string, unknown>) => {
    // Interleaved, so that both see the same machine (autovacuum follows the bulk load).
    const times = await interleaved(runs, (i, viaService) =>
      viaService ? find(query(i))() : rawRunner(server, query(i))()
    )
    rows.push({ name, service: timing(times.on), raw: timing(times.off) })
  }
  await pair('indexed equality (username = …)', (i) => ({ username: pick(i), $limit: 20, $count: 'none' }))
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
    $count: 'none'
  })
  await pair('nested AND/OR + indexed sort + limit 20', nested)
  await pair('offset page at 10,000 (sorted by name)', () => ({
    $sort: { name: 1 },
    $skip: Math.min(10_000, n - 20),
    $limit: 20,
    $count: 'none'
  }))
  const first = (await service.find({ query: { $sort: { name: 1 }, $limit: 20, $count: 'none' } })) as {
    next: string
  }
  await pair('keyset page (sorted by name, $after)', () => ({
    $sort: { name: 1 },
    $after: first.next,
    $limit: 20,
    $count: 'none'
  }))
  for (const mode of ['exact', 'capped', 'estimated', 'none']) {
    rows.push({
      name: `count ${mode} (status = active) + page`,
      service: await measure(Math.max(5, Math.floor(runs / 4)), () =>
        find({ status: 'active', $limit: 20, $count: mode })()
      )
    })
  }
  rows.push({
    name: 'GROUP BY department over all rows (raw SQL)',
    raw: await measure(
      Math.max(3, Math.floor(runs / 10)),
      () =>
        server.db.query(
          `SELECT doc->>'deptCode' AS d, count(*) FROM ${TABLE} WHERE deleted_at IS NULL GROUP BY 1`
        ),
      1
    )
  })
  return rows
}
