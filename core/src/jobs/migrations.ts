import type { Migration } from '@medaffairs/plugin-sdk'

/**
 * pg-boss owns its schema (it migrates it itself on start). We keep beside it who started
 * each job and its last progress, which pg-boss has no place for, keyed by the job id.
 */
export const jobsMigrations: Migration[] = [
  {
    id: '20261125120000-job-info',
    async up(db) {
      await db.query(`CREATE TABLE _job_info (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_by text,
        progress jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())`)
      // "My jobs, newest first" and "all jobs, newest first" (system administrators).
      await db.query('CREATE INDEX _job_info_by_creator ON _job_info (created_by, created_at DESC)')
      await db.query('CREATE INDEX _job_info_by_time ON _job_info (created_at DESC)')
    }
  }
]

/** Our rows outlive pg-boss's deletion of old jobs; drop those whose job is gone. */
export function purgeOrphansSql(schema: string): string {
  return `DELETE FROM _job_info i
    WHERE i.created_at < now() - interval '1 hour'
      AND NOT EXISTS (SELECT 1 FROM ${schema}.job j WHERE j.name = i.name AND j.id = i.id)
      AND NOT EXISTS (SELECT 1 FROM ${schema}.archive a WHERE a.name = i.name AND a.id = i.id)`
}
