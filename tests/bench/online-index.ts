// `npx tsx tests/bench/online-index.ts [--rows 1000000]`: an administrator publishes two
// filterable fields on a table of N rows; the index build runs in the background. Prints the
// build time and the worst latency of a writer creating records through the API meanwhile,
// for the concurrent build (pg, CREATE INDEX CONCURRENTLY) and, for comparison, a blocking one.
import { parseArgs } from 'node:util'
import {
  fillTable,
  writeDuringBlockingBuild,
  writeDuringBuild
} from '../../core/test/definitions/online-index-support.js'
import { PLUGINS, startDefsServer } from '../../core/test/definitions/support.js'

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } })
const rows = Number(values.rows)
const pct = (list: number[], p: number) =>
  [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))]
const line = (name: string, r: { latencies: number[]; buildMs: number }) =>
  `${name}: build ${(r.buildMs / 1000).toFixed(1)} s; ${r.latencies.length} writes meanwhile; p50 ${pct(r.latencies, 0.5).toFixed(1)} ms, p99 ${pct(r.latencies, 0.99).toFixed(1)} ms, worst ${Math.max(...r.latencies).toFixed(1)} ms`

const t = await startDefsServer('pg', PLUGINS)
try {
  const auth = await t.userWith('bench', ['medical_affairs_admin'])
  const t0 = performance.now()
  await fillTable(t, rows)
  console.log(`filled ${rows.toLocaleString()} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  console.log(line('publish → CREATE INDEX CONCURRENTLY (background)', await writeDuringBuild(t, auth)))
  console.log(line('blocking build, for comparison', await writeDuringBlockingBuild(t, auth)))
} finally {
  await t.close()
}
