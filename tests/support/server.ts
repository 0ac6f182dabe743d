import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DriverName, PluginDefinition } from '@medaffairs/plugin-sdk'
import { createServer, type MedAffairsServer } from '../../core/src/app.js'
import { openPg } from '../../core/src/db/index.js'
import { createTestDb, type TestDb } from './db.js'

export interface TestServer {
  server: MedAffairsServer
  url: string
  /** The database's connection string (pg only), for a second instance on it. */
  databaseUrl?: string
  /** Calls the REST API; returns status and parsed JSON body. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ): Promise<{ status: number; body: any }>
  close(): Promise<void>
}

const testConfig = (config: Record<string, unknown>) => ({
  port: 0,
  logLevel: 'silent',
  seed: 'none',
  crypto: { masterKeyFile: join(tmpdir(), 'medaffairs-test-master.pem') },
  ...config
})

/** Puts a built server on a free port; `cleanup` runs after it closes (drop or release the database). */
export async function serve(
  server: MedAffairsServer,
  cleanup: () => Promise<void>,
  databaseUrl?: string
): Promise<TestServer> {
  const port = await server.listen()
  const url = `http://127.0.0.1:${port}`
  return {
    server,
    url,
    databaseUrl,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : undefined }
    },
    async close() {
      await server.close()
      await cleanup()
    }
  }
}

/** A real server on a free port over an isolated database of the given driver. */
export async function startTestServer(
  driver: DriverName,
  plugins?: PluginDefinition[],
  config: Record<string, unknown> = {}
): Promise<TestServer> {
  const t: TestDb = await createTestDb(driver)
  const server = await createServer({ db: t.db, plugins, config: testConfig(config) })
  return serve(server, () => t.drop(), t.url)
}

/**
 * Another instance over the PostgreSQL database of a running test server, with its own
 * connection pool (a cluster of two). Closing it leaves the database to the first server.
 */
export async function startPeerServer(
  first: TestServer,
  plugins?: PluginDefinition[],
  config: Record<string, unknown> = {}
): Promise<TestServer> {
  if (!first.databaseUrl) throw new Error('a peer server needs the first server on the pg driver')
  const db = await openPg(first.databaseUrl, 5)
  const server = await createServer({ db, plugins, config: testConfig(config) })
  return serve(server, () => db.close(), first.databaseUrl)
}
