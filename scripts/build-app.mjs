#!/usr/bin/env node
// Builds the web app (app/ → app/build) when its sources are newer than the last build,
// then prints how much gzipped JavaScript a first visit downloads.
//
//   node scripts/build-app.mjs            build if stale, report sizes
//   node scripts/build-app.mjs --force    build regardless
//   node scripts/build-app.mjs --report   only report sizes of the existing build
//   node scripts/build-app.mjs --strict   also exit 1 when first load exceeds the budget
//
// core's start script calls this before serving app/build.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const ROOT = resolve(import.meta.dirname, '..')
const APP = join(ROOT, 'app')
const BUILD = join(APP, 'build')
const STAMP = join(BUILD, 'index.html')
const BUDGET_KB = 300
/** What the build reads besides node_modules. Add plugin web folders here when they exist. */
const INPUTS = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'].map(
  (p) => join(APP, p)
)

const args = new Set(process.argv.slice(2))

/** Newest modification time under `path` (files and folders). */
function newest(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let max = stat.mtimeMs
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)))
  return max
}

function isStale() {
  if (!existsSync(STAMP)) return true
  const built = statSync(STAMP).mtimeMs
  return INPUTS.some((p) => newest(p) > built)
}

function build() {
  const vite = join(
    dirname(createRequire(join(APP, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js'
  )
  console.log('build-app: building app/ …')
  const started = Date.now()
  // Always a production build: a caller's NODE_ENV (vitest sets `test`) would pull in dev-mode code.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: APP,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' }
  })
  if (result.status !== 0) {
    console.error(`build-app: the app build failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status || 1)
  }
  console.log(`build-app: built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/**
 * Runs `fn` while holding a lock file, so two callers (parallel test files, `npm start`
 * during a test run) never build into app/build at the same time. A lock whose owner
 * process is gone is taken over.
 */
function withBuildLock(fn) {
  const lock = join(
    tmpdir(),
    `medaffairs-build-app-${createHash('sha1').update(APP).digest('hex').slice(0, 12)}.lock`
  )
  const deadline = Date.now() + 10 * 60_000
  for (;;) {
    try {
      const fd = openSync(lock, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      const owner = Number(readFileSync(lock, 'utf8') || 0)
      if (owner && !isAlive(owner)) rmSync(lock, { force: true })
      else if (Date.now() > deadline) throw new Error(`build-app: ${lock} is held by process ${owner}`)
      else sleep(300)
    }
  }
  try {
    fn()
  } finally {
    rmSync(lock, { force: true })
  }
}

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+\.js)["']/g

/** A built file and every file it imports statically (what the browser must fetch before it runs). */
function closure(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return seen
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  for (const [, spec] of code.matchAll(STATIC_IMPORT)) {
    if (spec.startsWith('.') || spec.startsWith('/')) {
      closure(spec.startsWith('/') ? join(BUILD, spec) : resolve(dirname(file), spec), seen)
    }
  }
  return seen
}

const gz = (file) => gzipSync(readFileSync(file)).length
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const total = (files) => [...files].reduce((sum, f) => sum + gz(f), 0)

function report() {
  const html = readFileSync(STAMP, 'utf8')
  const entries = [...html.matchAll(/import\("(\/_app\/[^"]+\.js)"\)/g)].map((m) => join(BUILD, m[1]))
  const nodesDir = join(BUILD, '_app', 'immutable', 'nodes')
  const nodes = readdirSync(nodesDir).filter((f) => f.endsWith('.js'))
  const layout = nodes.find((f) => f.startsWith('0.'))
  const shell = new Set()
  for (const f of [...entries, join(nodesDir, layout)]) closure(f, shell)

  // Node 0 is the root layout, node 1 the error page; the rest are routes.
  let worst = { name: '', files: shell, bytes: total(shell) }
  for (const node of nodes.filter((f) => !f.startsWith('0.') && !f.startsWith('1.'))) {
    const files = closure(join(nodesDir, node), new Set(shell))
    const bytes = total(files)
    if (bytes > worst.bytes) worst = { name: node, files, bytes }
  }
  const all = readdirSync(join(BUILD, '_app', 'immutable'), { recursive: true })
    .filter((f) => String(f).endsWith('.js'))
    .map((f) => join(BUILD, '_app', 'immutable', String(f)))
  const lazy = all.filter((f) => !worst.files.has(f))

  console.log(`build-app: first-load JS, gzipped: shell ${kb(total(shell))} (${shell.size} files)`)
  console.log(
    `build-app: first load with the heaviest route (${worst.name || 'none'}): ${kb(worst.bytes)} of ${BUDGET_KB} KB budget`
  )
  console.log(
    `build-app: loaded later on demand: ${kb(total(lazy))} in ${lazy.length} files (largest ${kb(Math.max(0, ...lazy.map(gz)))})`
  )
  if (worst.bytes > BUDGET_KB * 1024) {
    console.warn(`build-app: first load exceeds the ${BUDGET_KB} KB budget (${relative(ROOT, BUILD)})`)
    if (args.has('--strict')) process.exit(1)
  }
}

if (!args.has('--report')) {
  if (args.has('--force') || isStale()) {
    // Another process may have built it while this one waited for the lock.
    withBuildLock(() =>
      args.has('--force') || isStale() ? build() : console.log('build-app: built meanwhile')
    )
  } else console.log('build-app: app/build is up to date')
}
if (!existsSync(STAMP)) {
  console.error('build-app: app/build/index.html is missing')
  process.exit(1)
}
report()
