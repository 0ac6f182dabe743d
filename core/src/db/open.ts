import { openPg } from './pg-driver.js'
import { openPglite } from './pglite-driver.js'
import type { Db } from './types.js'

export interface DbSettings {
  /** A PostgreSQL server; when absent the embedded PGlite in dataDir is used. */
  databaseUrl?: string
  dataDir?: string
  poolSize?: number
}

export function openDb(settings: DbSettings): Promise<Db> {
  if (settings.databaseUrl) return openPg(settings.databaseUrl, settings.poolSize)
  return openPglite(settings.dataDir)
}
