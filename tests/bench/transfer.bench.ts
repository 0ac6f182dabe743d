// `node_modules/.bin/tsx tests/bench/transfer.bench.ts [--n 1000000] [--import-n 100000] [--papers-n 50000] [--driver pg] [--parts export,import,papers] [--export-page 2000]`
// Excel export and import through the records pipeline, on the PostgreSQL server by default.
// Targets: export of 1,000,000 rows ≤ 90 s and ≤ 400 MB peak RSS; import ≥ 5,000 rows/s;
// 50,000 archive papers ≤ 60 s. Not part of `npm test`.
import { execFileSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finished as streamDone } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'
import {
  collectionFromForm,
  formField,
  definePlugin,
  type DriverName,
  type FormDefinition
} from '@medaffairs/plugin-sdk'
import dictionaries from '../../plugins/dictionaries/src/index.js'
import archives from '../../plugins/archives/src/index.js'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import { openPg } from '../../core/src/db/index.js'
import { createTestDb } from '../support/db.js'
import { bearer, createUser, TEST_PASSWORD } from '../support/auth.js'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    'import-n': { type: 'string' },
    'papers-n': { type: 'string' },
    driver: { type: 'string', default: 'pg' },
    parts: { type: 'string', default: 'export,import,papers' },
    /** Rows per keyset page of the export (the server's default when absent). */
    'export-page': { type: 'string' },
    /** Internal: the child process that seeds rows into this database (pg) for department `--dept`. */
    'seed-into': { type: 'string' },
    dept: { type: 'string' }
  }
})
const PARTS = new Set((values.parts ?? '').split(','))
const N = Number(values.n)
const IMPORT_N = Number(values['import-n'] ?? Math.min(100_000, N))
const PAPERS_N = Number(values['papers-n'] ?? Math.min(50_000, N))

/** A staff-like form: text, a dictionary select, dates, a number, a boolean and a masked phone. */
const form: FormDefinition = {
  collection: 'bench_people',
  label: { 'zh-CN': '人员压测' },
  fields: [
    formField('text', 'name', '姓名', 'Name', { required: true, maxLength: 50 }),
    formField('text', 'employeeNo', '工号', 'Employee no.', { filterable: true, sortable: true }),
    formField('select', 'sex', '性别', 'Sex', { dictionary: 'sex', required: true, filterable: true }),
    formField('date', 'birthDate', '出生日期', 'Birth date'),
    formField('mobile', 'mobile', '手机号码', 'Mobile'),
    formField('select', 'level', '期刊级别', 'Journal level', { dictionary: 'journal_level' }),
    formField('date', 'hireDate', '入职日期', 'Hire date', { sortable: true }),
    formField('number', 'score', '考核分', 'Score', { min: 0, max: 100 }),
    formField('boolean', 'active', '在岗', 'On duty'),
    formField('text', 'remark', '备注', 'Remark', { maxLength: 200 })
  ],
  layout: [{ fields: ['name'] }]
}
const bench = definePlugin({
  name: 'bench-transfer',
  version: '1.0.0',
  requires: ['dictionaries'],
  collections: [collectionFromForm(form)],
  forms: [form]
})
const LEVELS = ['sci', 'pku_core', 'ei', 'general']

function person(i: number): Record<string, unknown> {
  const d = (y: number) =>
    `${y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
  return {
    name: `员工${i}`,
    employeeNo: `E${String(i).padStart(7, '0')}`,
    sex: i % 2 ? '1' : '2',
    birthDate: d(1960 + (i % 40)),
    mobile: `138${String(i).padStart(8, '0')}`,
    level: LEVELS[i % 4],
    hireDate: d(1990 + (i % 30)),
    score: i % 101,
    active: i % 5 !== 0,
    remark: i % 3 ? null : '备注'
  }
}

/** Peak RSS while a job runs, with what the process held at that moment (V8 heap, buffers). */
function rss(): { stop(): number; atPeak(): string } {
  let peak = process.memoryUsage()
  const sample = () => {
    const now = process.memoryUsage()
    if (now.rss > peak.rss) peak = now
  }
  const timer = setInterval(sample, 100)
  return {
    stop: () => (clearInterval(timer), sample(), peak.rss),
    atPeak: () =>
      `heap used ${mb(peak.heapUsed)} of ${mb(peak.heapTotal)}, external ${mb(peak.external)}, array buffers ${mb(peak.arrayBuffers)}`
  }
}

const mb = (b: number) => `${Math.round(b / 1048576)} MB`

async function job(
  server: MedAffairsServer,
  url: string,
  token: string,
  path: string,
  body: unknown
): Promise<{ seconds: number; result: any }> {
  const started = Date.now()
  const res = await fetch(`${url}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify(body)
  })
  const answer = (await res.json()) as { jobId: string }
  const { jobId } = answer
  if (!jobId) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(answer)}`)
  for (;;) {
    const status = await server.jobs.queue.get(jobId)
    if (status?.state === 'completed')
      return { seconds: (Date.now() - started) / 1000, result: status.result }
    if (status?.state === 'failed') throw new Error(`${path} failed: ${status.error}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Writes rows to an .xlsx with the streaming writer (the bench's input files). */
async function sheetFile(
  dir: string,
  name: string,
  header: string[],
  rows: (i: number) => unknown[],
  n: number
): Promise<string> {
  const path = join(dir, name)
  const out = createWriteStream(path)
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false
  })
  const ws = wb.addWorksheet('数据')
  ws.addRow(header).commit()
  for (let i = 0; i < n; i++) ws.addRow(rows(i)).commit()
  ws.commit()
  await wb.commit()
  await streamDone(out)
  return path
}

async function signIn(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/authentication`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ strategy: 'local', username, password: TEST_PASSWORD })
  })
  return ((await res.json()) as { accessToken: string }).accessToken
}

async function uploadFile(url: string, token: string, path: string): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(await readFile(path))]), 'bench.xlsx')
  const res = await fetch(`${url}/api/files`, { method: 'POST', body: form, headers: bearer(token) })
  const body = (await res.json()) as Array<{ id: string }>
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`)
  return body[0].id
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'medaffairs-bench-transfer-'))
  const t = await createTestDb(values.driver as DriverName)
  const server = await createServer({
    db: t.db,
    plugins: [dictionaries, archives, bench],
    config: {
      logLevel: 'error',
      seed: 'none',
      files: { dir, maxBytes: 200 * 1024 * 1024 },
      jobs: { pollingIntervalSeconds: 0.5 },
      ...(values['export-page'] ? { transfer: { exportPage: Number(values['export-page']) } } : {})
    }
  })
  const port = await server.listen()
  const url = `http://127.0.0.1:${port}`
  try {
    const { app, db } = server
    const dept = (await app
      .service('departments')
      .create({ code: 'B1', name: '压测科', type: 'clinical' })) as { id: string }
    await createUser(server, { username: 'benchhr', name: '人事', roles: ['hr'], deptId: dept.id })
    const token = await signIn(url, 'benchhr')
    await app.service('masking-rules').create({
      collection: 'bench_people',
      field: 'mobile',
      rule: { kind: 'mobile', first: 3, last: 4 },
      enabled: true
    })
    console.log(`== ${values.driver}: seeding ${N.toLocaleString()} rows`)
    // On the server, another process seeds: what a million inserts leave in a process (a
    // fragmented heap the OS does not get back) is then not counted in the export's memory.
    if (t.url)
      execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1], '--seed-into', t.url, '--dept', dept.id, '--n', String(N)],
        { stdio: 'inherit' }
      )
    else await seedRows(server, dept.id)
    await db.query('ANALYZE c_bench_people')
    if (PARTS.has('export')) await exportBench(server, url, token)
    if (PARTS.has('import')) await importBench(server, url, token, dir)
    if (PARTS.has('papers')) await papersBench(server, url, token, dir, dept.id)
  } finally {
    await server.close()
    await t.drop()
    await rm(dir, { recursive: true, force: true })
  }
}

async function seedRows(server: MedAffairsServer, deptId: string): Promise<void> {
  for (let i = 0; i < N; i += 10_000)
    await server.app.service('bench-people').create(
      Array.from({ length: Math.min(10_000, N - i) }, (_, k) => ({ ...person(i + k), deptId })),
      { audit: false } as any
    )
}

/** The child's part: the same plugins on the parent's database, rows through the adapter's bulk path. */
async function seedChild(url: string, deptId: string): Promise<void> {
  const db = await openPg(url, 2)
  const server = await createServer({
    db,
    plugins: [dictionaries, archives, bench],
    config: { logLevel: 'error', seed: 'none' }
  })
  try {
    await seedRows(server, deptId)
  } finally {
    await server.close()
  }
}

async function exportBench(server: MedAffairsServer, url: string, token: string): Promise<void> {
  // What the seeding left in the heap is not the export's: collected first when the bench runs
  // with `node --expose-gc --import tsx` (otherwise the peak includes it).
  ;(globalThis as { gc?: () => void }).gc?.()
  const baseline = process.memoryUsage().rss
  const memory = rss()
  const exp = await job(server, url, token, 'exports', {
    collection: 'bench_people',
    query: { $sort: { hireDate: 1 } },
    format: 'xlsx'
  })
  const peak = memory.stop()
  console.log(
    `export ${exp.result.rows.toLocaleString()} rows to xlsx: ${exp.seconds.toFixed(1)} s (${Math.round(exp.result.rows / exp.seconds).toLocaleString()} rows/s), file ${mb(exp.result.size)}, peak RSS ${mb(peak)} (${mb(baseline)} before it; at the peak: ${memory.atPeak()})`
  )
}

async function importBench(server: MedAffairsServer, url: string, token: string, dir: string): Promise<void> {
  const header = form.fields.map((f) => f.label['zh-CN'])
  const importPath = await sheetFile(
    dir,
    'people.xlsx',
    header,
    (i) => {
      const p = person(N + i)
      return [
        p.name,
        p.employeeNo,
        p.sex === '1' ? '男' : '女',
        p.birthDate,
        p.mobile,
        'SCI/SCIE',
        p.hireDate,
        p.score,
        p.active ? '是' : '否',
        p.remark
      ]
    },
    IMPORT_N
  )
  const imp = await job(server, url, token, 'imports', {
    collection: 'bench_people',
    fileId: await uploadFile(url, token, importPath),
    mode: 'valid-rows-only'
  })
  console.log(
    `import ${imp.result.imported.toLocaleString()} of ${imp.result.rows.toLocaleString()} rows (validation, audit): ${imp.seconds.toFixed(1)} s = ${Math.round(imp.result.imported / imp.seconds).toLocaleString()} rows/s, ${imp.result.errorCount} errors`
  )

  if (imp.result.errorCount) console.log('  first errors:', JSON.stringify(imp.result.errors.slice(0, 3)))
}

async function papersBench(
  server: MedAffairsServer,
  url: string,
  token: string,
  dir: string,
  deptId: string
): Promise<void> {
  const doctors = 200
  for (let i = 0; i < doctors; i++)
    await createUser(server, {
      username: `d${String(i).padStart(4, '0')}`,
      name: `医生${i}`,
      roles: ['staff'],
      deptId
    })
  const papersPath = await sheetFile(
    dir,
    'papers.xlsx',
    ['人员', '论文题目', '刊物名称', '发表时间', '期刊级别', '作者排序', '增刊'],
    (i) => [
      `d${String(i % doctors).padStart(4, '0')}`,
      `论文${i}`,
      '中华医学杂志',
      `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
      i % 2 ? 'SCI/SCIE' : '北大核心',
      '第一作者',
      '否'
    ],
    PAPERS_N
  )
  const pap = await job(server, url, token, 'imports', {
    collection: 'archive_papers',
    fileId: await uploadFile(url, token, papersPath),
    mode: 'all-or-nothing'
  })
  console.log(
    `import ${pap.result.imported.toLocaleString()} archive papers (all-or-nothing, validation, subject scope, audit): ${pap.seconds.toFixed(1)} s = ${Math.round(pap.result.imported / pap.seconds).toLocaleString()} rows/s, ${pap.result.errorCount} errors`
  )
  if (pap.result.errorCount) console.log('  first errors:', JSON.stringify(pap.result.errors.slice(0, 3)))
}

if (values['seed-into']) await seedChild(values['seed-into'], values.dept ?? '')
else await main()
