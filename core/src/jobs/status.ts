import type { JobProgress, JobState, JobStatus, Queryable } from '@medaffairs/plugin-sdk'

/** Job ids are pg-boss's uuids; anything else is answered "not found" without a query error. */
export const isJobId = (id: unknown): id is string =>
  typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)

interface StatusRow {
  id: string
  name: string
  state: JobState
  output: Record<string, any> | null
  created_on: Date | string
  started_on: Date | string | null
  completed_on: Date | string | null
  retry_count: number
  created_by: string | null
  progress: JobProgress | null
}

const iso = (v: Date | string | null): string | null =>
  v === null || v === undefined ? null : new Date(v).toISOString()

/** pg-boss keeps our failure `{ message }`, its own timeout `{ value: { message } }`, or a serialized Error. */
function errorOf(output: Record<string, any> | null): string | null {
  if (!output) return null
  const message = output.message ?? output.value?.message
  return typeof message === 'string' ? message : JSON.stringify(output)
}

export function toStatus(r: StatusRow): JobStatus {
  const finishedBadly = r.state === 'failed' || r.state === 'retry'
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    progress: r.progress ?? null,
    result: r.state === 'completed' ? (r.output?.result ?? null) : undefined,
    error: finishedBadly ? errorOf(r.output) : null,
    createdBy: r.created_by ?? null,
    createdAt: iso(r.created_on)!,
    startedAt: iso(r.started_on),
    completedAt: iso(r.completed_on),
    // pg-boss counts retries; a job that started at least once has had retry_count + 1 tries.
    attempts: r.started_on ? Number(r.retry_count) + 1 : 0
  }
}

const JOB_COLUMNS =
  'id, name, state::text AS state, output, created_on, started_on, completed_on, retry_count'

/** Job (live or archived) joined with our record of who started it and its progress. */
export class StatusQueries {
  constructor(private readonly schema: string) {}

  /** The job's queue name: from our record, else from pg-boss (a scheduled job not yet started). */
  async nameOf(q: Queryable, id: string): Promise<string | undefined> {
    if (!isJobId(id)) return undefined
    const { rows } = await q.query<{ name: string }>(
      `SELECT name FROM _job_info WHERE id = $1 UNION ALL SELECT name FROM ${this.schema}.job WHERE id = $1 LIMIT 1`,
      [id]
    )
    return rows[0]?.name
  }

  /** `knownName` saves a query when the caller knows the queue (a worker does). */
  async get(q: Queryable, id: string, knownName?: string): Promise<JobStatus | undefined> {
    const name = knownName ?? (await this.nameOf(q, id))
    if (!name) return undefined
    const { rows } = await q.query<StatusRow>(
      `SELECT j.*, i.created_by, i.progress FROM (
         SELECT ${JOB_COLUMNS} FROM ${this.schema}.job WHERE name = $1 AND id = $2
         UNION ALL SELECT ${JOB_COLUMNS} FROM ${this.schema}.archive WHERE name = $1 AND id = $2
         LIMIT 1) j
       LEFT JOIN _job_info i ON i.id = j.id`,
      [name, id]
    )
    return rows[0] ? toStatus(rows[0]) : undefined
  }

  /** Newest first; `createdBy` null lists everyone's. Jobs pg-boss already deleted are left out. */
  async find(q: Queryable, filter: { createdBy: string | null; name?: string }, limit: number, skip: number) {
    const from = `FROM _job_info i
      JOIN LATERAL (
        SELECT ${JOB_COLUMNS} FROM ${this.schema}.job WHERE name = i.name AND id = i.id
        UNION ALL SELECT ${JOB_COLUMNS} FROM ${this.schema}.archive WHERE name = i.name AND id = i.id
        LIMIT 1) j ON true
      WHERE ($1::text IS NULL OR i.created_by = $1) AND ($2::text IS NULL OR i.name = $2)`
    const params = [filter.createdBy, filter.name ?? null]
    const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params)
    const { rows } = await q.query<StatusRow>(
      `SELECT j.*, i.created_by, i.progress ${from} ORDER BY i.created_at DESC, i.id DESC LIMIT $3 OFFSET $4`,
      [...params, limit, skip]
    )
    return { total: Number(total.rows[0]?.n ?? 0), data: rows.map(toStatus) }
  }
}
