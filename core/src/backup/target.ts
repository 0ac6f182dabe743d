import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '@medaffairs/plugin-sdk'
import { listBlobs } from './files-copy.js'
import { RestoreRefusedError } from './load.js'
import { listTables, quoteIdent } from './schema.js'

/**
 * A restore replaces a workspace; it runs only where nothing would be lost by surprise.
 * PGlite: the data folder's lock (taken when the database is opened) already refuses a folder
 * a running server owns. PostgreSQL server: other sessions on the database, or any table in
 * it, refuse the restore unless `--force`, which then drops the workspace schema first.
 */
export async function prepareTargetDb(
  db: Db,
  force: boolean,
  jobsSchema: string
): Promise<{ wiped: number }> {
  if (db.driver === 'pg') {
    const { rows } = await db.query<{ n: number; apps: string | null }>(
      `SELECT count(*)::int AS n, string_agg(DISTINCT nullif(application_name, ''), ', ') AS apps
         FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`
    )
    const others = rows[0]?.n ?? 0
    if (others > 0 && !force) {
      throw new RestoreRefusedError(
        `数据库正被 ${others} 个其他连接使用，请先停止所有服务器实例 (the database is in use by ${others} other connection(s)${rows[0]?.apps ? `: ${rows[0].apps}` : ''}; stop every server instance first, or pass --force)`
      )
    }
  }
  const tables = await listTables(db)
  if (tables.length && !force) {
    throw new RestoreRefusedError(
      `目标数据库不是空的 (${tables.length} 张表)。恢复会替换其中的一切；确认后加 --force 重试 (the target database is not empty: ${tables.length} tables. A restore replaces everything in it; pass --force to do so)`
    )
  }
  if (tables.length) {
    const { rows } = await db.query<{ s: string }>('SELECT current_schema() AS s')
    const schema = quoteIdent(rows[0].s)
    await db.query(`DROP SCHEMA ${schema} CASCADE`)
    await db.query(`CREATE SCHEMA ${schema}`)
    await db.query(`DROP SCHEMA IF EXISTS ${quoteIdent(jobsSchema)} CASCADE`)
  }
  return { wiped: tables.length }
}

/** The files store must be empty too (or emptied with --force): a restore does not merge. */
export async function prepareTargetFiles(root: string, force: boolean): Promise<{ wiped: number }> {
  const blobs = await listBlobs(root)
  if (blobs.length && !force) {
    throw new RestoreRefusedError(
      `文件目录 ${root} 不是空的 (${blobs.length} 个文件)；加 --force 清空后恢复 (the files folder is not empty: ${blobs.length} files; pass --force to replace them)`
    )
  }
  if (blobs.length) {
    const entries = await readdir(root, { withFileTypes: true })
    for (const e of entries)
      if (e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name))
        await rm(join(root, e.name), { recursive: true, force: true })
  }
  return { wiped: blobs.length }
}
