// `npx tsx tests/bench/web-first-page.ts [--n 1000000] [--runs 10]`: how long the first page
// of a big collection takes to show in the browser (issue #7: ≤ 1 s on 1,000,000 rows).
//
// Fills `bench_staff` on the PostgreSQL server through the adapter's bulk path (as
// `npm run bench` does), serves it with the built app from an in-process server, signs a
// medical-affairs administrator in, and times in Debian's chromium:
//   - a full load: `page.goto('/records/bench_staff')` until the first row is visible
//     (boot, session, collections, form, views, then the list call);
//   - an in-app navigation: a click on the collection's link on /records until the first row;
//   - the list call alone over REST with the query the page sends, to split server from browser.
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { definePlugin } from '@medaffairs/plugin-sdk'
import { launchBrowser } from '../e2e/support/browser.js'
import { ensureAppBuilt, ROOT } from '../e2e/support/server.js'
import { signIn, useToken } from '../e2e/support/session.js'
import { startTestServer } from '../support/server.js'
import { departmentTree } from './identity.bench.js'
import { measure, ms, type Timing } from './stats.js'
import { benchStaff } from './staff-docs.js'
import { bulkInsert } from './storage.bench.js'

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '10' } }
})
const N = Number(values.n)
const RUNS = Number(values.runs)
const PASSWORD = 'Bench#2026x'
const FIRST_ROW = 'table tbody tr[data-id]'

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const line = (name: string, t: Timing) => `| ${name} | ${ms(t.p50)} | ${ms(t.p95)} | ${t.runs} |`

async function main(): Promise<void> {
  ensureAppBuilt()
  const t = await startTestServer(
    'pg',
    [definePlugin({ name: 'bench', version: '1.0.0', collections: [benchStaff] })],
    {
      appDir: join(ROOT, 'app', 'build'),
      logLevel: 'error',
      identity: {
        login: {
          perAccount: { points: 1e6, windowSeconds: 60 },
          perAddress: { points: 1e6, windowSeconds: 60 }
        }
      }
    }
  )
  const browser = await launchBrowser()
  try {
    const tree = await departmentTree(t.server)
    console.log(`inserting ${N.toLocaleString()} documents (load ${load()})`)
    const rate = await bulkInsert(t.server, N, tree.all)
    console.log(`  ${Math.round(rate).toLocaleString()} docs/s`)
    await t.server.db.query('ANALYZE c_bench_staff')
    const user = (await t.server.app.service('users').create({
      username: 'bench_admin',
      name: '基准管理员',
      roles: ['medical_affairs_admin'],
      deptId: tree.all[0],
      password: PASSWORD
    })) as { id: string }
    await t.server.db.query('UPDATE _credentials SET must_change = false WHERE user_id = $1', [user.id])
    const token = await signIn(t.url, 'bench_admin', PASSWORD)
    await useToken(browser, token)
    const page = await browser.page()
    const listUrl = `${t.url}/records/bench_staff`

    // The query the page sends, captured from its first (warm-up) visit, timed alone over REST.
    let sent: Record<string, unknown> | null = null
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        const m = /^42\d*\["find","bench-staff",(\{.*\})/.exec(String(payload))
        if (m && !sent) sent = (JSON.parse(`[${m[1]}]`) as Record<string, unknown>[])[0]
      })
    )
    const fullLoad = async () => {
      await page.goto(listUrl)
      await page.locator(FIRST_ROW).first().waitFor({ state: 'visible' })
    }
    const inApp = async () => {
      await page.goto(`${t.url}/records`)
      const link = page.locator('a[href="/records/bench_staff"]')
      await link.waitFor()
      const t0 = performance.now()
      await link.click()
      await page.locator(FIRST_ROW).first().waitFor({ state: 'visible' })
      return performance.now() - t0
    }
    await fullLoad()
    const shown = await page.locator(FIRST_ROW).count()
    console.log(`first visit shows ${shown} rows; query sent: ${JSON.stringify(sent)}`)

    const full = await measure(RUNS, fullLoad, 2)
    const navTimes: number[] = []
    for (let i = 0; i < RUNS + 2; i++) navTimes.push(await inApp())
    const nav = navTimes.slice(2).sort((a, b) => a - b)
    const navTiming: Timing = {
      p50: nav[Math.ceil(RUNS / 2) - 1],
      p95: nav[Math.ceil(RUNS * 0.95) - 1],
      mean: nav.reduce((a, b) => a + b, 0) / RUNS,
      runs: RUNS
    }
    const query = new URLSearchParams()
    for (const [k, v] of Object.entries(sent ?? { $limit: 20, $count: 'estimated', $skip: 0 })) {
      if (typeof v === 'object' && v)
        for (const [k2, v2] of Object.entries(v)) query.set(`${k}[${k2}]`, String(v2))
      else query.set(k, String(v))
    }
    const rest = await measure(
      RUNS,
      async () => {
        const res = await fetch(`${t.url}/api/bench-staff?${query}`, {
          headers: { authorization: `Bearer ${token}` }
        })
        if (!res.ok) throw new Error(`list call failed: ${res.status} ${await res.text()}`)
        await res.json()
      },
      3
    )
    console.log(`\n${N.toLocaleString()} rows, ${RUNS} runs after a warm-up, load average ${load()}\n`)
    console.log('| measurement | p50 ms | p95 ms | runs |\n|---|---|---|---|')
    console.log(line('full load: goto /records/bench_staff → first row visible', full))
    console.log(line('in-app: click on /records → first row visible', navTiming))
    console.log(line(`list call alone over REST (${query})`, rest))
    if (browser.errors.length) throw new Error(`page errors: ${browser.errors.join('; ')}`)
  } finally {
    await browser.close()
    await t.close()
  }
}

await main()
