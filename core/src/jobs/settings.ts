/** The `jobs` section of the configuration; every knob has a default so the section may be absent. */
export interface JobsSettings {
  /** false on instances of role `api`: they enqueue and report, but run no handlers. */
  work: boolean
  /** PostgreSQL schema of pg-boss's tables. */
  schema: string
  /** How often an idle queue asks the database for work (pg-boss allows ≥ 0.5). */
  pollingIntervalSeconds: number
  /** Connections of pg-boss's own pool (PostgreSQL server only). */
  poolSize: number
  /** Defaults of JobOptions. */
  retryLimit: number
  retryDelaySeconds: number
  expireInSeconds: number
  /** Expiry of crashed jobs, archiving and deletion run this often (pg-boss maintenance). */
  maintenanceIntervalSeconds: number
  /** Finished jobs move to the archive after this long, and are deleted after `deleteAfterDays`. */
  archiveCompletedAfterSeconds: number
  deleteAfterDays: number
  /** How often recurring schedules are evaluated and their jobs sent (pg-boss timekeeper). */
  cronMonitorIntervalSeconds: number
  cronWorkerIntervalSeconds: number
  /** `stop()` waits this long for running jobs, then interrupts them (they are retried). */
  stopTimeoutMs: number
  /** Progress of one job is written and pushed at most this often. */
  progressIntervalMs: number
}

export const JOBS_DEFAULTS: JobsSettings = {
  work: true,
  schema: 'pgboss',
  pollingIntervalSeconds: 2,
  poolSize: 4,
  retryLimit: 3,
  retryDelaySeconds: 10,
  expireInSeconds: 3600,
  maintenanceIntervalSeconds: 120,
  archiveCompletedAfterSeconds: 12 * 3600,
  deleteAfterDays: 7,
  cronMonitorIntervalSeconds: 30,
  cronWorkerIntervalSeconds: 5,
  stopTimeoutMs: 10_000,
  progressIntervalMs: 500
}

export function jobsSettings(over: Partial<JobsSettings> = {}): JobsSettings {
  const s = { ...JOBS_DEFAULTS, ...over }
  // The schema name is interpolated into SQL: accept a plain identifier only.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s.schema))
    throw new Error(`jobs.schema must be a lower-case SQL identifier, got "${s.schema}"`)
  // pg-boss silently turns recurring jobs off below one minute.
  if (s.archiveCompletedAfterSeconds < 60)
    throw new Error('jobs.archiveCompletedAfterSeconds must be at least 60')
  if (s.progressIntervalMs < 500)
    throw new Error('jobs.progressIntervalMs must be at least 500 (two writes a second)')
  return s
}
