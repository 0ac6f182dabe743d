// `npx tsx tests/bench/flows.bench.ts [--n 1000] [--pool 20] [--runs 200]`: flow engine figures on
// the PostgreSQL server (TEST_DATABASE_URL): concurrent approvals and the inbox with 10,000 past tasks.
// BENCH_COUNT=1 also lists the SQL statements of the measured approvals.
import { parseArgs } from 'node:util'
import { defineCollection, definePlugin, type FlowDefinition } from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import { openPg } from '../../core/src/db/index.js'
import type { FlowsModule } from '../../core/src/flows/index.js'
import { ensureFlows } from '../../core/test/flows/support.js'
import { createServerDatabase } from '../support/db.js'
import { bearer, createUser, login } from '../support/auth.js'
import type { TestServer } from '../support/server.js'
import { measure, ms } from './stats.js'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    pool: { type: 'string', default: '20' },
    runs: { type: 'string', default: '200' }
  }
})
const N = Number(values.n)
const RUNS = Number(values.runs)
type Rec = Record<string, any>

const items = defineCollection({
  name: 'bench_items',
  fields: [
    { name: 'title', type: 'string' },
    { name: 'approverId', type: 'string' }
  ]
})
const flow: FlowDefinition = {
  key: 'bench',
  label: { 'zh-CN': '压测审批' },
  collection: 'bench_items',
  nodes: [
    { id: 'start', type: 'start', label: { 'zh-CN': '申请' } },
    {
      id: 'a',
      type: 'approve',
      label: { 'zh-CN': '审批' },
      assignee: { kind: 'field', field: 'approverId' }
    },
    { id: 'end', type: 'end', label: { 'zh-CN': '结束' }, outcome: 'approved' }
  ],
  edges: [
    { from: 'start', to: 'a' },
    { from: 'a', to: 'end' }
  ]
}
const plugin = definePlugin({ name: 'bench-flows', version: '1.0.0', collections: [items], flows: [flow] })

async function pool<T>(list: T[], width: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < list.length) await fn(list[i++])
    })
  )
}

/** With BENCH_COUNT=1: the SQL statements sent during the measured part, by kind, and per approval. */
async function countQueries(on: boolean) {
  const pg = (await import('pg')).default
  const counts = new Map<string, number>()
  const original = pg.Client.prototype.query
  if (on) {
    pg.Client.prototype.query = function (this: unknown, ...args: any[]) {
      const sql = String(typeof args[0] === 'string' ? args[0] : args[0]?.text)
        .replace(/\s+/g, ' ')
        .slice(0, 90)
      counts.set(sql, (counts.get(sql) ?? 0) + 1)
      return (original as (...a: unknown[]) => unknown).apply(this, args)
    } as typeof original
  }
  return {
    report(n: number) {
      pg.Client.prototype.query = original
      if (!on) return
      for (const [sql, k] of [...counts].sort((a, b) => b[1] - a[1])) console.log(String(k).padStart(7), sql)
      console.log(
        `  SQL statements per approval: ${([...counts.values()].reduce((a, b) => a + b, 0) / n).toFixed(1)}`
      )
    }
  }
}

const count = async (server: MedAffairsServer, sql: string) =>
  Number((await server.db.query<{ n: number }>(sql)).rows[0].n)

/** 1,000 approvals fired at once over HTTP, each on its own instance; then the same again (double clicks). */
async function approvals(
  t: TestServer,
  flows: FlowsModule,
  tokens: Record<string, string>,
  applicant: Rec,
  approvers: Rec[]
) {
  const server = t.server
  const records = (await server.app.service('bench-items').create(
    Array.from({ length: N }, (_, i) => ({
      title: `item ${i}`,
      approverId: approvers[i % approvers.length].id,
      ownerId: applicant.id
    }))
  )) as Rec[]
  const published = await flows.catalog.latest('bench')
  const by = { id: applicant.id, name: applicant.name }
  let t0 = performance.now()
  await pool(records, 20, (r) => flows.engine.start(published, r.id, by))
  console.log(
    `  ${N} starts (internal, 20 at a time): ${Math.round(N / ((performance.now() - t0) / 1000))} starts/s`
  )
  const { rows: tasks } = await server.db.query<{ id: string; assignee_id: string }>(
    `SELECT id, assignee_id FROM _flow_tasks WHERE state = 'pending' AND kind = 'approve'`
  )
  const fire = () =>
    Promise.all(
      tasks.map((task) =>
        t
          .api(
            'POST',
            '/api/flow-actions',
            { taskId: task.id, action: 'approve' },
            bearer(tokens[task.assignee_id])
          )
          .then((r) => r.status)
      )
    )
  t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const counted = await countQueries(!!process.env.BENCH_COUNT)
  const statuses = await fire()
  counted.report(N)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `  server+client process CPU: ${((cpu.user + cpu.system) / 1000 / N).toFixed(1)} ms per approval`
  )
  const checks = {
    ok: statuses.filter((s) => s === 201).length,
    otherStatuses: statuses.filter((s) => s !== 201).length,
    completed: await count(
      server,
      `SELECT count(*)::int AS n FROM _flow_instances WHERE flow_key = 'bench' AND state = 'completed'`
    ),
    approveAudits: await count(
      server,
      `SELECT count(*)::int AS n FROM _audit WHERE action = 'flow' AND payload LIKE '%"action":"approve"%'`
    ),
    distinctAudited: await count(
      server,
      `SELECT count(DISTINCT record_id)::int AS n FROM _audit WHERE action = 'flow' AND payload LIKE '%"action":"approve"%'`
    ),
    stepsDone: await count(
      server,
      `SELECT count(*)::int AS n FROM _flow_steps WHERE node_id = 'a' AND state = 'done'`
    ),
    recordsApproved: await count(
      server,
      `SELECT count(*)::int AS n FROM c_bench_items WHERE state = 'approved'`
    )
  }
  console.log(
    `  ${N} concurrent approvals over HTTP: ${seconds.toFixed(2)} s → ${Math.round(checks.ok / seconds)} transitions/s`,
    checks
  )
  const again = await fire()
  const after = await count(
    server,
    `SELECT count(*)::int AS n FROM _audit WHERE action = 'flow' AND payload LIKE '%"action":"approve"%'`
  )
  console.log(
    `  the same ${N} approvals again: ${again.filter((s) => s === 409).length} × 409, transitions now ${after} (expected ${N})`
  )
  // The same on fresh instances straight through the engine (no HTTP, no authentication): the engine's own ceiling.
  const more = (await server.app.service('bench-items').create(
    Array.from({ length: N }, (_, i) => ({
      title: `direct ${i}`,
      approverId: approvers[i % approvers.length].id,
      ownerId: applicant.id
    }))
  )) as Rec[]
  await pool(more, 20, (r) => flows.engine.start(published, r.id, by))
  const { rows: direct } = await server.db.query<{ id: string; assignee_id: string }>(
    `SELECT id, assignee_id FROM _flow_tasks WHERE state = 'pending' AND kind = 'approve'`
  )
  t0 = performance.now()
  const engineOk = (
    await Promise.all(
      direct.map((task) =>
        flows.engine.act({ taskId: task.id, action: 'approve' }, { id: task.assignee_id, name: null }).then(
          () => 1,
          () => 0
        )
      )
    )
  ).reduce((a: number, b: number) => a + b, 0)
  const engineRate = engineOk / ((performance.now() - t0) / 1000)
  console.log(
    `  ${direct.length} concurrent approvals through the engine directly: ${Math.round(engineRate)} transitions/s (${engineOk} ok)`
  )
  const lost =
    checks.ok !== N ||
    checks.completed !== N ||
    checks.distinctAudited !== N ||
    checks.stepsDone !== N ||
    checks.recordsApproved !== N
  return {
    rate: checks.ok / seconds,
    engineRate,
    sound: !lost && after === N && again.every((s) => s === 409) && engineOk === N
  }
}

/** 10,000 past tasks for one user among 100,000 of others; the inbox through the service. */
async function inbox(server: MedAffairsServer, user: Rec) {
  const db = server.db
  const total = 110_000
  await db.query(
    `INSERT INTO _flow_instances (id, flow_key, version, collection, record_id, state, outcome, started_by, started_at, ended_at)
    SELECT 'bi-' || lpad(g::text, 7, '0'), 'bench', 1, 'bench_items', 'r-' || g, CASE WHEN g <= 10050 AND g > 10000 THEN 'running' ELSE 'completed' END,
           'approved', CASE WHEN g % 10 = 0 THEN $1 ELSE 'someone' END, now() - g * interval '1 minute', now() FROM generate_series(1, ${total}) g`,
    [user.id]
  )
  await db.query(`INSERT INTO _flow_steps (id, instance_id, node_id, round, state, created_at)
    SELECT 'bs-' || lpad(g::text, 7, '0'), 'bi-' || lpad(g::text, 7, '0'), 'a', 1, CASE WHEN g <= 10050 AND g > 10000 THEN 'active' ELSE 'done' END, now() - g * interval '1 minute' FROM generate_series(1, ${total}) g`)
  await db.query(
    `INSERT INTO _flow_tasks (id, instance_id, step_id, node_id, assignee_id, kind, state, decision, created_at, done_at)
    SELECT 'bt-' || lpad(g::text, 7, '0'), 'bi-' || lpad(g::text, 7, '0'), 'bs-' || lpad(g::text, 7, '0'), 'a',
           CASE WHEN g <= 10050 THEN $1 ELSE 'other-' || (g % 1000) END, 'approve',
           CASE WHEN g <= 10050 AND g > 10000 THEN 'pending' ELSE 'done' END, CASE WHEN g <= 10000 OR g > 10050 THEN 'approve' END,
           now() - g * interval '1 minute', CASE WHEN g <= 10000 OR g > 10050 THEN now() - g * interval '1 second' END FROM generate_series(1, ${total}) g`,
    [user.id]
  )
  for (const table of ['_flow_instances', '_flow_steps', '_flow_tasks']) await db.query(`ANALYZE ${table}`)
  const service = server.app.service('flow-tasks')
  const params = (query: Rec) => ({ provider: 'rest', user, query }) as never
  const deep = (await service.find(params({ box: 'done', $limit: 5000 }))) as Rec
  const cases: Array<[string, Rec]> = [
    ['todo (50 pending)', { box: 'todo', $limit: 20 }],
    ['done, first page of 10,000', { box: 'done', $limit: 20 }],
    ['done, page after 5,000 (keyset)', { box: 'done', $limit: 20, after: deep.next }],
    ['started (11,000 instances)', { box: 'started', $limit: 20 }]
  ]
  const out: Array<[string, number, number]> = []
  for (const [name, query] of cases) {
    const timing = await measure(RUNS, () => service.find(params(query)))
    out.push([name, timing.p50, timing.p95])
    console.log(`  inbox ${name}: p50 ${ms(timing.p50)} ms, p95 ${ms(timing.p95)} ms`)
  }
  return Math.max(...out.map((o) => o[2]))
}

async function main() {
  const database = await createServerDatabase()
  const db = await openPg(database.url, Number(values.pool))
  const server = await createServer({
    db,
    plugins: [plugin],
    config: {
      port: 0,
      logLevel: 'error',
      seed: 'none',
      admission: { maxConcurrent: 64, maxQueue: 5000, queueTimeoutMs: 120000 },
      identity: {
        login: {
          perAccount: { points: 1e6, windowSeconds: 60 },
          perAddress: { points: 1e6, windowSeconds: 60 }
        }
      }
    }
  })
  const port = await server.listen()
  const t: TestServer = {
    server,
    url: `http://127.0.0.1:${port}`,
    close: async () => undefined,
    api: async (method, path, body, headers = {}) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : undefined }
    }
  }
  try {
    const flows = await ensureFlows(server, ['bench-items'])
    const dept = (await server.app
      .service('departments')
      .create({ code: 'B', name: 'B', type: 'clinical' })) as Rec
    const applicant = await createUser(server, {
      username: 'bench_applicant',
      roles: ['staff'],
      deptId: dept.id
    })
    const approvers: Rec[] = []
    const tokens: Record<string, string> = {}
    for (let i = 0; i < 10; i++) {
      approvers.push(await createUser(server, { username: `bench_a${i}`, roles: ['staff'], deptId: dept.id }))
      tokens[approvers[i].id] = await login(t, `bench_a${i}`)
    }
    console.log(`== flows on the PostgreSQL server (pool ${values.pool})`)
    const a = await approvals(t, flows, tokens, applicant, approvers)
    const p95 = await inbox(server, approvers[0])
    console.log(
      `\nRESULT transitions/s ${Math.round(a.rate)} over HTTP, ${Math.round(a.engineRate)} through the engine (target ≥ 200) ${a.sound ? 'none lost or duplicated' : 'INCONSISTENT'}; inbox worst p95 ${ms(p95)} ms (target ≤ 50)`
    )
    if (!a.sound) process.exitCode = 1
  } finally {
    await server.close()
    await db.close()
    await database.drop()
  }
}

await main()
