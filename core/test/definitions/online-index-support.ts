import type { CollectionDefinition, FormDefinition } from '@medaffairs/plugin-sdk'
import { syncIndexes } from '../../src/storage/index.js'
import { staffForm, type DefsServer } from './support.js'

// Shared by the online-index test (200k rows) and tests/bench/online-index.ts (1M rows).
const zh = (text: string) => ({ 'zh-CN': text })

/** The shipped form plus two filterable fields an administrator adds to a big table. */
export const indexedForm: FormDefinition = {
  ...staffForm,
  fields: [
    ...staffForm.fields,
    { name: 'code', kind: 'text', label: zh('编号'), filterable: true },
    { name: 'level', kind: 'number', label: zh('级别'), filterable: true, sortable: true }
  ],
  layout: [...staffForm.layout, { title: zh('新增'), fields: ['code', 'level'] }]
}

/** Rows straight into the table (a bulk import's worth), so the build has something to chew on. */
export async function fillTable(t: DefsServer, rows: number): Promise<void> {
  for (let from = 1; from <= rows; from += 100_000) {
    await t.server.db.query(
      `INSERT INTO c_staff_profiles (id, doc)
       SELECT 'bulk-' || g, jsonb_build_object('name', '员工' || g, 'code', 'C' || lpad((g % 50000)::text, 6, '0'), 'level', g % 13)
         FROM generate_series($1::int, $2::int) g`,
      [from, Math.min(rows, from + 99_999)]
    )
  }
  await t.server.db.query('ANALYZE c_staff_profiles')
}

/**
 * Publishes the form (the build starts in the background) and writes through the API, one
 * record after another, until the build is done. Returns every write's latency (ms).
 */
export async function writeDuringBuild(
  t: DefsServer,
  auth: Record<string, string>
): Promise<{ latencies: number[]; buildMs: number }> {
  const started = performance.now()
  const published = await t.defs.publish({
    kind: 'form',
    key: 'staff_profiles',
    body: indexedForm,
    comment: 'online index'
  })
  let done = false
  const build = t.defs.indexer.idle('staff_profiles').then(() => (done = true))
  const latencies: number[] = []
  while (!done) {
    const t0 = performance.now()
    const res = await t.api('POST', '/api/staff-profiles', { name: '写入', code: 'W1', level: 1 }, auth)
    latencies.push(performance.now() - t0)
    if (res.status !== 201) throw new Error(`write failed: ${res.status} ${JSON.stringify(res.body)}`)
  }
  await build
  const status = t.defs.indexer.status('staff_profiles')[0]
  if (status.state !== 'done' || published.definition.version !== status.version)
    throw new Error(`build: ${JSON.stringify(status)}`)
  return {
    latencies,
    buildMs: Date.parse(status.finishedAt!) - Date.parse(status.startedAt) || performance.now() - started
  }
}

/**
 * For comparison: the same indexes built the blocking way (in a transaction, no
 * CONCURRENTLY), as a start-up sync would; returns the write latencies meanwhile.
 */
export async function writeDuringBlockingBuild(
  t: DefsServer,
  auth: Record<string, string>
): Promise<{ latencies: number[]; buildMs: number }> {
  await t.server.db.query('DROP INDEX IF EXISTS c_staff_profiles__code_idx, c_staff_profiles__level_idx')
  const def = (t.server.app.service('staff-profiles') as unknown as { definition: CollectionDefinition })
    .definition
  const t0 = performance.now()
  let done = false
  const build = syncIndexes(t.server.db, def).then(() => (done = true))
  const latencies: number[] = []
  while (!done) {
    const w0 = performance.now()
    await t.api('POST', '/api/staff-profiles', { name: '写入', code: 'W2', level: 2 }, auth)
    latencies.push(performance.now() - w0)
  }
  await build
  return { latencies, buildMs: performance.now() - t0 }
}
