// `node_modules/.bin/tsx tests/bench/xlsx-sink.bench.ts [--rows 200000] [--page 2000] [--format xlsx|csv] [--keep]`
// The export's file writer alone: N generated staff-like rows (10 columns: Chinese and Latin
// text, numbers, dates, date-times, booleans, nulls) go through a RowSink into a file in a
// temp folder, page by page as the export job hands them over. Prints rows/s, CPU time
// (user + system of the whole process, worker threads included: far less disturbed by other
// engineers' load than wall time), peak RSS and peak heap. Not part of `npm test`.
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type { CellValue } from '../../core/src/transfer/render.js'
import { csvSink, xlsxSink, type OutColumn, type RowSink } from '../../core/src/transfer/sinks.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    page: { type: 'string', default: '2000' },
    format: { type: 'string', default: 'xlsx' },
    keep: { type: 'boolean', default: false }
  }
})
const N = Number(values.rows)
const PAGE = Number(values.page)

const COLUMNS: OutColumn[] = [
  { header: '姓名', kind: 'text' },
  { header: '工号', kind: 'text' },
  { header: '性别', kind: 'select' },
  { header: '出生日期', kind: 'date' },
  { header: '手机号码', kind: 'mobile' },
  { header: '科室', kind: 'department' },
  { header: '最后登录', kind: 'datetime' },
  { header: '考核分', kind: 'number' },
  { header: '在岗', kind: 'boolean' },
  { header: '备注', kind: 'text' }
]

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗']
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华']
const DEPARTMENTS = ['心血管内科', '呼吸与危重症医学科', '普通外科', '儿科', '急诊科', '医务处', 'Radiology']
const REMARKS = [
  '',
  '2024 年度优秀员工',
  '进修中 (visiting scholar)',
  '备注：需复核 <资料> & "证书"',
  'Night shift',
  '长期病假，返岗时间待定；联系人：护士长'
]

/** A small deterministic generator: the same rows on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32
}

/** One staff-like row as the export's renderers hand it over (dates at UTC, labels for codes). */
function staffRow(i: number, rand: () => number): CellValue[] {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]
  const birth = new Date(
    Date.UTC(1960 + Math.floor(rand() * 40), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28))
  )
  const login =
    rand() < 0.2
      ? null
      : new Date(
          Date.UTC(
            2024,
            Math.floor(rand() * 12),
            1 + Math.floor(rand() * 28),
            Math.floor(rand() * 24),
            Math.floor(rand() * 60),
            Math.floor(rand() * 60)
          )
        )
  const remark = pick(REMARKS)
  return [
    pick(SURNAMES) + pick(GIVEN) + (rand() < 0.5 ? pick(GIVEN) : ''),
    `E${String(100000 + i).padStart(7, '0')}`,
    rand() < 0.5 ? '男' : '女',
    birth,
    `138****${String(Math.floor(rand() * 10000)).padStart(4, '0')}`,
    pick(DEPARTMENTS),
    login,
    rand() < 0.1 ? null : Math.round(rand() * 1000) / 10,
    rand() < 0.8,
    remark || null
  ]
}

/** A pool of distinct rows, cycled: generating rows must not weigh in the writer's figures. */
const POOL_SIZE = 10_000
const rand = rng(42)
const pool = Array.from({ length: POOL_SIZE }, (_, i) => staffRow(i, rand))
const pageAt = (start: number, size: number) =>
  Array.from({ length: size }, (_, k) => pool[(start + k) % POOL_SIZE])

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`

function sampler(): { stop(): { rss: number; heap: number; buffers: number } } {
  let heap = 0
  let buffers = 0
  const sample = () => {
    const now = process.memoryUsage()
    heap = Math.max(heap, now.heapUsed)
    buffers = Math.max(buffers, now.external)
  }
  const timer = setInterval(sample, 20)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      // The kernel's high-water mark (KB): no peak falls between two samples.
      return { rss: process.resourceUsage().maxRSS * 1024, heap, buffers }
    }
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'xlsx-sink-bench-'))
  const file = join(dir, `bench.${values.format}`)
  const rssBefore = process.memoryUsage().rss
  const out = createWriteStream(file)
  const memory = sampler()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const sink: RowSink = values.format === 'csv' ? csvSink(out, COLUMNS) : xlsxSink(out, '人员压测', COLUMNS)
  for (let done = 0; done < N; done += PAGE) await sink.add(pageAt(done, Math.min(PAGE, N - done)))
  await sink.close()
  await finished(out)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const peak = memory.stop()
  const cpuMs = (cpu.user + cpu.system) / 1000
  const size = (await stat(file)).size
  console.log(
    `${values.format} sink, ${N} rows (page ${PAGE}): ${seconds.toFixed(2)} s, ${Math.round(N / seconds)} rows/s`
  )
  console.log(
    `CPU ${cpuMs.toFixed(0)} ms (user ${(cpu.user / 1000).toFixed(0)}, system ${(cpu.system / 1000).toFixed(0)}): ${((cpuMs * 100_000) / N).toFixed(0)} ms per 100k rows, ${Math.round(N / (cpuMs / 1000))} rows per CPU second`
  )
  console.log(
    `peak RSS ${mb(peak.rss)} (${mb(rssBefore)} before), peak heap used ${mb(peak.heap)}, peak external ${mb(peak.buffers)}; file ${mb(size)}`
  )
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  )
  if (values.keep) console.log(`kept ${file}`)
  else await rm(dir, { recursive: true, force: true })
}

await main()
