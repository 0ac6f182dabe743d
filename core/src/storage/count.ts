import type { CountMode, Queryable } from '@medaffairs/plugin-sdk'
import { badRequest } from './errors.js'

export const COUNT_MODES: readonly CountMode[] = ['exact', 'capped', 'estimated', 'none']
export const DEFAULT_COUNT_CAP = 10_000

export interface CountResult {
  /** -1 when not counted. */
  total: number
  /** How `total` was obtained (an estimate on a small result is replaced by an exact count). */
  count: CountMode
  /** True when a capped count reached the cap: there are at least `total` rows. */
  totalCapped?: boolean
}

export function parseCountMode(value: unknown, fallback: CountMode): CountMode {
  if (value === undefined) return fallback
  if (typeof value === 'string' && (COUNT_MODES as readonly string[]).includes(value))
    return value as CountMode
  throw badRequest(`$count must be one of ${COUNT_MODES.join(', ')}`, '$count', 'count-mode')
}

async function capped(db: Queryable, from: string, where: string, params: readonly unknown[], cap: number) {
  // Counting over a LIMIT stops reading after cap + 1 rows, however large the table.
  const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${cap + 1}) AS s`
  const { rows } = await db.query<{ n: number }>(sql, params)
  const n = Number(rows[0].n)
  return n > cap ? { total: cap, totalCapped: true } : { total: n, totalCapped: false }
}

function planRows(raw: unknown): number {
  const plan = typeof raw === 'string' ? JSON.parse(raw) : raw
  const rows = Array.isArray(plan) ? plan[0]?.Plan?.['Plan Rows'] : undefined
  return typeof rows === 'number' ? Math.round(rows) : 0
}

/** The planner's row estimate for the filtered table, from EXPLAIN (no rows are read). */
async function estimated(db: Queryable, from: string, where: string, params: readonly unknown[]) {
  const { rows } = await db.query<Record<string, unknown>>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${from} WHERE ${where}`,
    params
  )
  return planRows(rows[0]?.['QUERY PLAN'])
}

/** Counts the rows of `from` matching `where` the way the query asked. */
export async function countRows(
  db: Queryable,
  from: string,
  where: string,
  params: readonly unknown[],
  mode: CountMode,
  cap = DEFAULT_COUNT_CAP
): Promise<CountResult> {
  // The cap is written into the SQL (LIMIT), so it must be a plain integer.
  if (!Number.isSafeInteger(cap) || cap < 1) cap = DEFAULT_COUNT_CAP
  switch (mode) {
    case 'none':
      return { total: -1, count: 'none' }
    case 'exact': {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${from} WHERE ${where}`,
        params
      )
      return { total: Number(rows[0].n), count: 'exact' }
    }
    case 'capped': {
      const { total, totalCapped } = await capped(db, from, where, params, cap)
      return { total, count: 'capped', totalCapped }
    }
    case 'estimated': {
      const estimate = await estimated(db, from, where, params)
      if (estimate > cap) return { total: estimate, count: 'estimated' }
      // Small by the planner's guess: a bounded count is cheap and exact.
      const exact = await capped(db, from, where, params, cap)
      return exact.totalCapped
        ? { total: Math.max(estimate, cap), count: 'estimated' }
        : { total: exact.total, count: 'exact' }
    }
  }
}
