// `node_modules/.bin/tsx tests/bench/audit.bench.ts [--runs 300] [--driver pg] [--rows 10000]`
// What the audit entry adds to a single-record write: create and patch through the service
// as an external caller (records pipeline, form validation, masking), with the audit entry
// and without it (`params.audit = false`), interleaved in the same run so that both see the
// same machine; then the same writes over REST, as a browser sends them (HTTP, authentication).
// Target (issue 4): the audit entry adds ≤ 20%. Not part of `npm test`.
import { parseArgs } from 'node:util'
import {
  collectionFromForm,
  formField,
  definePlugin,
  type DriverName,
  type FormDefinition
} from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import dictionaries from '../../plugins/dictionaries/src/index.js'
import { createTestDb } from '../support/db.js'
import { bearer, createUser, TEST_PASSWORD } from '../support/auth.js'
import { interleaved, ms, percentile, type Pair } from './stats.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    driver: { type: 'string', default: 'pg' },
    rows: { type: 'string', default: '10000' }
  }
})
const RUNS = Number(values.runs)
const ROWS = Number(values.rows)

/** A staff-like form: text, a dictionary select, dates, a number, a boolean and a masked phone. */
const form: FormDefinition = {
  collection: 'bench_audit',
  label: { 'zh-CN': '审计压测' },
  fields: [
    formField('text', 'name', '姓名', 'Name', { required: true, maxLength: 50 }),
    formField('text', 'employeeNo', '工号', 'Employee no.', { filterable: true }),
    formField('select', 'sex', '性别', 'Sex', { dictionary: 'sex', required: true }),
    formField('date', 'birthDate', '出生日期', 'Birth date'),
    formField('mobile', 'mobile', '手机号码', 'Mobile'),
    formField('number', 'score', '考核分', 'Score', { min: 0, max: 100 }),
    formField('boolean', 'active', '在岗', 'On duty'),
    formField('text', 'remark', '备注', 'Remark', { maxLength: 200 })
  ],
  layout: [{ fields: ['name'] }]
}
const plugin = definePlugin({
  name: 'bench-audit',
  version: '1.0.0',
  requires: ['dictionaries'],
  collections: [collectionFromForm(form)],
  forms: [form]
})

const person = (i: number) => ({
  name: `员工${i}`,
  employeeNo: `E${String(i).padStart(7, '0')}`,
  sex: i % 2 ? '1' : '2',
  birthDate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
  mobile: `139${String(i).padStart(8, '0')}`,
  score: i % 101,
  active: i % 5 !== 0,
  remark: i % 3 ? null : '备注'
})

function report(label: string, pair: Pair): string {
  const s = (xs: number[]) => [...xs].sort((a, b) => a - b)
  const on = s(pair.on)
  const off = s(pair.off)
  const p50 = percentile(on, 50) / percentile(off, 50)
  const p95 = percentile(on, 95) / percentile(off, 95)
  const pct = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(0)}%`
  return `| ${label} | ${ms(percentile(off, 50))} / ${ms(percentile(off, 95))} | ${ms(percentile(on, 50))} / ${ms(percentile(on, 95))} | ${pct(p50)} / ${pct(p95)} (+${ms(percentile(on, 50) - percentile(off, 50))} ms at p50) |`
}

/**
 * The same writes as a browser sends them: HTTP, authentication, the records pipeline. A client
 * cannot switch the audit off, so the bench alone puts a Koa middleware first that turns the
 * header `x-bench-audit: off` into `params.audit = false`.
 */
async function restPairs(server: MedAffairsServer, from: number): Promise<{ create: Pair; patch: Pair }> {
  // Koa composes its middleware when the server starts listening, so this one runs first.
  ;(server.app as unknown as { middleware: unknown[] }).middleware.unshift(
    async (ctx: any, next: () => Promise<unknown>) => {
      if (ctx.get('x-bench-audit') === 'off') ctx.feathers = { ...ctx.feathers, audit: false }
      await next()
    }
  )
  const url = `http://127.0.0.1:${await server.listen()}`
  const login = await fetch(`${url}/api/authentication`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ strategy: 'local', username: 'benchaudit', password: TEST_PASSWORD })
  })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const send = async (method: string, path: string, body: unknown, audited: boolean) => {
    const headers = {
      'content-type': 'application/json',
      ...bearer(accessToken),
      ...(audited ? {} : { 'x-bench-audit': 'off' })
    }
    const res = await fetch(`${url}/api/bench-audit${path}`, { method, headers, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as { id: string }
  }
  const entries = async () =>
    (
      await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM _audit WHERE collection = 'bench_audit'`
      )
    ).rows[0].n
  const before = await entries()
  const ids: string[] = []
  const create = await interleaved(RUNS, async (i, audited) =>
    ids.push((await send('POST', '', person(from + i), audited)).id)
  )
  const patch = await interleaved(RUNS, (i, audited) =>
    send('PATCH', `/${ids[i % ids.length]}`, { score: (i * 7) % 101, remark: `改${i}` }, audited)
  )
  // Half of the writes, warm-up included, must have left an entry: the header did switch the audit off.
  const written = (await entries()) - before
  if (written !== 2 * (RUNS + 10))
    throw new Error(`expected ${2 * (RUNS + 10)} audit entries over REST, found ${written}`)
  return { create, patch }
}

async function main(): Promise<void> {
  const t = await createTestDb(values.driver as DriverName)
  const server = await createServer({
    db: t.db,
    plugins: [dictionaries, plugin],
    config: { logLevel: 'error', seed: 'none' }
  })
  try {
    const { app } = server
    const dept = (await app
      .service('departments')
      .create({ code: 'A1', name: '审计压测科', type: 'clinical' })) as { id: string }
    const user = await createUser(server, {
      username: 'benchaudit',
      name: '人事',
      roles: ['hr'],
      deptId: dept.id
    })
    await app.service('masking-rules').create({
      collection: 'bench_audit',
      field: 'mobile',
      rule: { kind: 'mobile', first: 3, last: 4 },
      enabled: true
    })
    const service = app.service('bench-audit')
    // A table and a trail that are not empty: index depths as in a running hospital.
    for (let i = 0; i < ROWS; i += 5000)
      await service.create(
        Array.from({ length: Math.min(5000, ROWS - i) }, (_, k) => ({ ...person(i + k), deptId: dept.id }))
      )
    await server.db.query('ANALYZE c_bench_audit')
    // An external caller: the whole records pipeline runs, as for a REST or socket request.
    const params = (audited: boolean) =>
      ({ provider: 'rest', user, ip: '127.0.0.1', ...(audited ? {} : { audit: false }) }) as any
    const ids: string[] = []
    const create = await interleaved(RUNS, async (i, audited) =>
      ids.push(((await service.create(person(ROWS + i), params(audited))) as { id: string }).id)
    )
    const patch = await interleaved(RUNS, (i, audited) =>
      service.patch(ids[i % ids.length], { score: (i * 7) % 101, remark: `改${i}` }, params(audited))
    )
    const rest = await restPairs(server, ROWS + 2 * RUNS + 40)
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM _audit')
    console.log(
      `\n== ${values.driver}: ${RUNS} runs each, ${ROWS.toLocaleString()} rows and ${rows[0].n.toLocaleString()} audit entries\n`
    )
    console.log(
      '| write (one record, external caller) | audit off p50 / p95 ms | audit on p50 / p95 ms | audit adds p50 / p95 |'
    )
    console.log('|---|---|---|---|')
    console.log(report('create, service call', create))
    console.log(report('patch (one field + remark), service call', patch))
    console.log(report('create, REST (`POST /api/bench-audit`)', rest.create))
    console.log(report('patch, REST (`PATCH /api/bench-audit/:id`)', rest.patch))
  } finally {
    await server.close()
    await t.drop()
  }
}

await main()
