import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The repository root (tests/e2e/support → ../../..). */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..')

export interface RunningServer {
  url: string
  port: number
  dataDir: string
  pid: number
  /** Everything the server printed so far (for failure messages). */
  output(): string
  /** SIGTERM to the server's own pid, SIGKILL to its process group if it lingers; removes DATA_DIR. */
  stop(): Promise<void>
}

export interface StartOptions {
  /** Extra environment; PORT, DATA_DIR and MEDAFFAIRS_SEED=demo are set unless given here. */
  env?: Record<string, string>
  /** How long to wait for GET /api/health to answer 200. */
  timeoutMs?: number
}

/** A port the OS just handed out and released. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolvePort(port))
    })
  })
}

/** Builds app/ if its sources changed since the last build (the server serves app/build). */
export function ensureAppBuilt(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-app.mjs')], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  if (result.status !== 0) throw new Error(`app build failed:\n${result.stdout}\n${result.stderr}`)
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done()
    else child.once('exit', () => done())
  })
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${output()}`)
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${output()}`)
}

/**
 * Starts the real server (`node_modules/.bin/tsx core/src/main.ts`) on a free port over a
 * fresh data folder with the demo seed, and waits until `/api/health` answers 200.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'medaffairs-e2e-data-'))
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    MEDAFFAIRS_SEED: 'demo',
    LOG_LEVEL: 'warn',
    ...options.env
  }
  // Its own process group, so a stuck tsx child can be killed with it and nothing else.
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['core/src/main.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000)
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const pid = child.pid!
  const url = `http://127.0.0.1:${env.PORT}`
  let stopping = false
  // A server that dies during a test explains itself instead of leaving only "connection refused".
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`server (pid ${pid}) exited unexpectedly (${code ?? signal}):\n${log}`)
  })

  const stop = async () => {
    stopping = true
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref())
      if ((await Promise.race([exited(child), timer])) === 'timeout') {
        try {
          process.kill(-pid, 'SIGKILL')
        } catch {
          // already gone
        }
        await exited(child)
      }
    }
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    await waitForHealth(url, child, options.timeoutMs ?? 90_000, () => log)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, port: Number(env.PORT), dataDir, pid, output: () => log, stop }
}
