import type { PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import PgBoss from 'pg-boss'
import type { Db, Queryable, QueryResult } from '@medaffairs/plugin-sdk'
import type { JobsSettings } from './settings.js'

/** pg-boss's connection contract (`db` option of the constructor and of send/cancel). */
export interface BossExecutor {
  executeSql(text: string, values?: unknown[]): Promise<any>
}

export interface BossHandle {
  boss: PgBoss
  /** The workers' connection: pg-boss's own pool, or the in-process PGlite outside any request transaction. */
  internal: Queryable
  /** After `boss.stop()`: lets the last in-process queries finish (PGlite). */
  close(): Promise<void>
}

/**
 * Runs pg-boss over the in-process PGlite through its public `db` option. Each call takes
 * PGlite's own transaction lock, so it waits for a request transaction to end instead of
 * running inside it. pglite-socket does not: it serializes wire messages under the query
 * lock only, so a socket statement lands inside whatever in-process transaction is open and
 * shares its fate (measured: 200 inserts acknowledged over the socket, 0 kept, while
 * in-process transactions rolled back; see README.md). Statements without parameters may
 * hold several commands (pg-boss's migrations) and need the simple protocol (`exec`).
 */
function pgliteExecutor(pglite: PGlite) {
  const inflight = new Set<Promise<unknown>>()
  let closed = false
  const executor: BossExecutor = {
    async executeSql(text, values) {
      // Like pg-boss's own pool once stopped: a late call (pg-boss completes its internal
      // cron jobs without awaiting) resolves to nothing instead of hitting a closed database.
      if (closed) return undefined
      const run = values?.length
        ? pglite.query(text, values as any[])
        : pglite.exec(text).then((all) => all[all.length - 1] ?? { rows: [], affectedRows: 0 })
      inflight.add(run)
      try {
        const res = await run
        return { rows: res.rows, rowCount: res.affectedRows || res.rows.length }
      } finally {
        inflight.delete(run)
      }
    }
  }
  const close = async () => {
    closed = true
    await Promise.allSettled([...inflight])
  }
  return { executor, close }
}

export function asQueryable(executor: BossExecutor): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res = await executor.executeSql(sql, params ? [...params] : undefined)
      if (!res) throw new Error('the job queue is stopped')
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length }
    }
  }
}

/** The request-side executor: joins the caller's transaction when there is one. */
export function callerExecutor(db: Db): BossExecutor {
  return { executeSql: (text, values) => db.query(text, values) }
}

function bossOptions(s: JobsSettings): PgBoss.ConstructorOptions {
  return {
    schema: s.schema,
    application_name: 'medaffairs-jobs',
    migrate: true,
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: s.maintenanceIntervalSeconds,
    archiveCompletedAfterSeconds: s.archiveCompletedAfterSeconds,
    deleteAfterDays: s.deleteAfterDays,
    cronMonitorIntervalSeconds: s.cronMonitorIntervalSeconds,
    cronWorkerIntervalSeconds: s.cronWorkerIntervalSeconds,
    retryLimit: s.retryLimit,
    retryDelay: s.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: s.expireInSeconds
  }
}

/** The PostgreSQL server the pg driver's pool talks to (config.databaseUrl may be absent in tests). */
function connectionStringOf(db: Db, fallback?: string | null): string {
  const url = (db as { pool?: pg.Pool }).pool?.options?.connectionString ?? fallback
  if (!url) throw new Error('jobs: no connection string for the PostgreSQL server (DATABASE_URL)')
  return url
}

/** Builds (but does not start) pg-boss on either driver. */
export function createBoss(db: Db, s: JobsSettings, databaseUrl?: string | null): BossHandle {
  if (db.driver === 'pg') {
    // Its own small pool: polling and maintenance never wait behind requests, nor block them.
    const boss = new PgBoss({
      ...bossOptions(s),
      connectionString: connectionStringOf(db, databaseUrl),
      max: s.poolSize
    })
    return { boss, internal: asQueryable(boss.getDb()), close: async () => undefined }
  }
  const pglite = (db as { pg?: PGlite }).pg
  if (!pglite) throw new Error('jobs: the PGlite driver does not expose its PGlite instance (db.pg)')
  const { executor, close } = pgliteExecutor(pglite)
  const boss = new PgBoss({ ...bossOptions(s), db: executor as PgBoss.Db })
  return { boss, internal: asQueryable(executor), close }
}
