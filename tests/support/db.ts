import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openPg, openPglite, type Db, type DriverName } from '../../core/src/db/index.js'

/** The server every storage test also runs on (the machine starts it before tests). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const DRIVERS: readonly DriverName[] = ['pglite', 'pg']

export interface TestDb {
  db: Db
  /** A connection string for the database (pg only), for code that opens its own pool. */
  url?: string
  drop(): Promise<void>
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** An empty database of its own: in-memory PGlite, or a fresh database on the server. */
export async function createTestDb(driver: DriverName): Promise<TestDb> {
  if (driver === 'pglite') {
    const db = await openPglite()
    return { db, drop: () => db.close() }
  }
  const name = `medaffairs_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`))
  const url = withDatabase(SERVER_URL, name)
  const db = await openPg(url, 5)
  return {
    db,
    url,
    async drop() {
      await db.close()
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    }
  }
}

/** Creates an empty database URL on the server (for tests that start whole processes). */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `medaffairs_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`))
  return {
    url: withDatabase(SERVER_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined)
  }
}
