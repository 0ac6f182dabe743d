// `npx tsx tests/bench/web-bundle.ts`: the gzipped JavaScript a browser downloads on a first
// visit (issue #7: ≤ 300 KB before the first route's data), measured in Debian's chromium
// against the real server and the built app (rebuilt first when its sources changed).
//
// For each page, a cold browser (fresh profile, empty cache) opens it and every JS response
// is recorded until the network is idle and the page's heading shows: its bytes on the wire
// (as the server sent them: Content-Encoding), and its body gzipped here (what it costs
// compressed, whatever the server did). "before data" counts the JS whose request was
// issued before the page's first API call over HTTP or the socket other than the session's
// own (authentication, manifest) — what the route waits for before it can ask for its data.
import { uptime, loadavg } from 'node:os'
import { gzipSync } from 'node:zlib'
import type { Page, Request } from 'playwright-core'
import { launchBrowser } from '../e2e/support/browser.js'
import { ensureAppBuilt, startServer } from '../e2e/support/server.js'
import { signIn, useToken } from '../e2e/support/session.js'

export const BUDGET_KB = 300
/** Calls the shell makes for every page (session, account, manifest); the route's own data comes after them. */
const SESSION_CALLS = /(^|\/)(authentication|account|manifest|health|ready)(\/|\?|$)/

interface Script {
  url: string
  seq: number
  wire: number
  gzipped: number
  encoding: string
}

export interface FirstLoad {
  page: string
  scripts: Script[]
  /** Sequence number of the first data call (Infinity when the page made none). */
  dataSeq: number
  /** What that call asked for (`GET /api/collections`, `socket find users`). */
  dataCall: string
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1)
const sum = (list: Script[], key: 'wire' | 'gzipped') => list.reduce((n, s) => n + s[key], 0)

/** socket.io event frames are `42["find","path",…]`: the path tells a data call from the session's. */
function socketServicePath(payload: string | Buffer): string | null {
  const text = String(payload)
  const match = /^42(?:\/[^,]*,)?\d*\["[a-z]+","([^"]+)"/.exec(text)
  return match ? match[1] : null
}

/** Records every JS response and the first data call of `page` while `open` runs. */
async function record(page: Page, open: () => Promise<void>): Promise<Omit<FirstLoad, 'page'>> {
  let seq = 0
  let dataSeq = Infinity
  let dataCall = 'none'
  const data = (at: number, call: string) => {
    if (at < dataSeq) [dataSeq, dataCall] = [at, call]
  }
  const issued = new Map<Request, number>()
  const pending: Promise<void>[] = []
  const scripts: Script[] = []
  page.on('request', (request) => {
    issued.set(request, ++seq)
    const path = new URL(request.url()).pathname
    if (path.startsWith('/api/') && !SESSION_CALLS.test(path.slice(5)))
      data(seq, `${request.method()} ${path}`)
  })
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const service = socketServicePath(payload)
      if (service && !SESSION_CALLS.test(service)) data(++seq, `socket ${service}`)
    })
  )
  page.on('requestfinished', (request) => {
    if (request.resourceType() !== 'script' && !new URL(request.url()).pathname.endsWith('.js')) return
    pending.push(
      (async () => {
        const response = await request.response()
        if (!response) return
        const [sizes, body, headers] = await Promise.all([
          request.sizes(),
          response.body(),
          response.allHeaders()
        ])
        scripts.push({
          url: new URL(request.url()).pathname,
          seq: issued.get(request) ?? 0,
          wire: sizes.responseBodySize,
          gzipped: gzipSync(body).length,
          encoding: headers['content-encoding'] ?? 'identity'
        })
      })()
    )
  })
  await open()
  await Promise.all(pending)
  return { scripts, dataSeq, dataCall }
}

/** One cold first visit of `path`, signed in with `token` when given. */
export async function firstLoad(baseUrl: string, path: string, token?: string): Promise<FirstLoad> {
  const browser = await launchBrowser()
  try {
    if (token) await useToken(browser, token)
    const page = await browser.page()
    const { scripts, dataSeq, dataCall } = await record(page, async () => {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' })
      await page.getByRole('heading', { level: 1 }).first().waitFor()
    })
    if (browser.errors.length) throw new Error(`page errors on ${path}: ${browser.errors.join('; ')}`)
    return { page: path, scripts: scripts.sort((a, b) => b.gzipped - a.gzipped), dataSeq, dataCall }
  } finally {
    await browser.close()
  }
}

export function describeLoad(load: FirstLoad): string[] {
  const before = load.scripts.filter((s) => s.seq < load.dataSeq)
  const encodings = [...new Set(load.scripts.map((s) => s.encoding))].join(', ')
  return [
    `${load.page}: ${load.scripts.length} JS files, gzipped ${kb(sum(load.scripts, 'gzipped'))} KB, on the wire ${kb(sum(load.scripts, 'wire'))} KB (${encodings})`,
    `  before the first data call (${load.dataCall}): ${before.length} files, gzipped ${kb(sum(before, 'gzipped'))} KB, on the wire ${kb(sum(before, 'wire'))} KB (budget ${BUDGET_KB} KB)`,
    `  largest: ${load.scripts
      .slice(0, 5)
      .map((s) => `${s.url.split('/').pop()} ${kb(s.gzipped)} KB`)
      .join(', ')}`
  ]
}

async function main(): Promise<void> {
  ensureAppBuilt()
  const server = await startServer()
  let over = false
  try {
    const token = await signIn(server.url, 'yiwu')
    const pages: [string, string | undefined][] = [
      ['/login', undefined],
      ['/', token],
      ['/records', token]
    ]
    for (const [path, tok] of pages) {
      const load = await firstLoad(server.url, path, tok)
      for (const line of describeLoad(load)) console.log(line)
      const before = load.scripts.filter((s) => s.seq < load.dataSeq)
      if (sum(before, 'gzipped') > BUDGET_KB * 1024) over = true
      if (load.scripts.some((s) => s.encoding === 'identity' && s.wire > 1024))
        console.warn(`  ${path}: some JS came uncompressed`)
    }
  } finally {
    await server.stop()
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (up ${Math.round(uptime() / 60)} min)`
  )
  if (over) process.exitCode = 1
}

await main()
