import type { ImportResult, JobProgress, JobState, JobStatus } from '@medaffairs/plugin-sdk'

/**
 * Reading a job as the pages show it: finished or not, how far, what it made. Pure, so the
 * rules are tested without a browser.
 */

export const FINISHED: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled'])

export const isFinished = (job: Pick<JobStatus, 'state'> | null | undefined): boolean =>
  !!job && FINISHED.has(job.state)

/** Waiting, retrying or running jobs can be cancelled. */
export const isCancellable = (job: Pick<JobStatus, 'state'>): boolean => !FINISHED.has(job.state)

/** 0–100 when the total is known (a completed job is 100), null for "working, size unknown". */
export function percent(job: Pick<JobStatus, 'state' | 'progress'>): number | null {
  if (job.state === 'completed') return 100
  const p: JobProgress | null = job.progress
  if (!p || !p.total || p.total <= 0) return null
  return Math.max(0, Math.min(100, Math.floor((p.done / p.total) * 100)))
}

export type JobKind = 'export' | 'import' | 'other'

export function kindOf(name: string): JobKind {
  if (name === 'transfer.export') return 'export'
  if (name === 'transfer.import') return 'import'
  return 'other'
}

export interface ExportOutcome {
  collection: string
  format: 'xlsx' | 'csv'
  rows: number
  fileId: string
  name: string
  size: number
  masked: boolean
}

/** An import job's result; older results carry no `dryRun` nor `valid`. */
export type ImportOutcome = Omit<ImportResult, 'dryRun' | 'valid'> &
  Partial<Pick<ImportResult, 'dryRun' | 'valid'>>

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object'

/** The result of a completed export job, when it is one. */
export function exportOutcome(job: JobStatus): ExportOutcome | null {
  const r = job.result
  return kindOf(job.name) === 'export' && isObject(r) && typeof r.fileId === 'string'
    ? (r as unknown as ExportOutcome)
    : null
}

/** The result of a completed import job, when it is one. */
export function importOutcome(job: JobStatus): ImportOutcome | null {
  const r = job.result
  return kindOf(job.name) === 'import' && isObject(r) && typeof r.rows === 'number'
    ? (r as unknown as ImportOutcome)
    : null
}

/** Rows that passed (older results carry no `valid`). */
export const validRows = (o: Pick<ImportOutcome, 'rows' | 'failed' | 'valid'>): number =>
  o.valid ?? Math.max(0, o.rows - o.failed)

/** What a dry run allows next: commit all, commit only the valid rows, or nothing. */
export function nextSteps(o: Pick<ImportOutcome, 'rows' | 'failed' | 'valid' | 'errorCount'>): {
  all: boolean
  validOnly: boolean
} {
  const valid = validRows(o)
  return { all: o.errorCount === 0 && o.rows > 0, validOnly: o.errorCount > 0 && valid > 0 }
}

/** Export query of a list: the chosen rows (ids), or the applied filter; with the list's sort. */
export function exportQueryOf(
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  ids: string[] | null
): Record<string, unknown> {
  const where = ids ? { id: { $in: ids } } : filter
  return { ...where, ...(Object.keys(sort).length ? { $sort: sort } : {}) }
}
