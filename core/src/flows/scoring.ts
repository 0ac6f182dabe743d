import { BadRequest } from '@feathersjs/errors'
import type { ScoreSheet } from '@medaffairs/plugin-sdk'
import type { ScoreResult, TaskRow } from './types.js'

const round2 = (n: number) => Math.round(n * 100) / 100

/** Refuses a sheet that misses a criterion, names an unknown one, or gives points outside 0…max. */
export function checkScores(sheet: ScoreSheet, scores: unknown): Record<string, number> {
  const errors: Array<{ field: string; reason: string }> = []
  const given =
    scores && typeof scores === 'object' && !Array.isArray(scores) ? (scores as Record<string, unknown>) : {}
  if (given !== scores)
    errors.push({ field: 'scores', reason: '应为 {评分项: 分数} (an object of points per criterion)' })
  for (const c of sheet.criteria) {
    const v = given[c.key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > c.max)
      errors.push({ field: `scores.${c.key}`, reason: `0–${c.max} 之间的数字 (a number from 0 to ${c.max})` })
  }
  for (const k of Object.keys(given))
    if (!sheet.criteria.some((c) => c.key === k))
      errors.push({ field: `scores.${k}`, reason: '不是评分表中的项目 (not a criterion of the sheet)' })
  if (errors.length) throw new BadRequest('评分不完整或超出范围 (invalid scores)', { errors })
  return given as Record<string, number>
}

/** Per-criterion remarks of an expert: optional, each a text of at most 1000 characters on a criterion of the sheet. */
export function checkRemarks(sheet: ScoreSheet, remarks: unknown): Record<string, string> | null {
  if (remarks === undefined || remarks === null) return null
  const errors: Array<{ field: string; reason: string }> = []
  if (typeof remarks !== 'object' || Array.isArray(remarks))
    errors.push({ field: 'remarks', reason: '应为 {评分项: 评语} (an object of remarks per criterion)' })
  const given = errors.length ? {} : (remarks as Record<string, unknown>)
  for (const [k, v] of Object.entries(given)) {
    if (!sheet.criteria.some((c) => c.key === k))
      errors.push({ field: `remarks.${k}`, reason: '不是评分表中的项目 (not a criterion of the sheet)' })
    else if (typeof v !== 'string' || v.length > 1000)
      errors.push({ field: `remarks.${k}`, reason: '不超过1000字的文本 (text of at most 1000 characters)' })
  }
  if (errors.length) throw new BadRequest('评语格式不正确 (invalid remarks)', { errors })
  const kept = Object.entries(given as Record<string, string>).filter(([, v]) => v.trim())
  return kept.length ? Object.fromEntries(kept) : null
}

/**
 * One expert's total: the sum of points, or for `weighted` a 0–100 score where each
 * criterion counts by its weight (points as a share of its maximum).
 */
export function expertTotal(sheet: ScoreSheet, scores: Record<string, number>): number {
  if (sheet.aggregate !== 'weighted')
    return round2(sheet.criteria.reduce((s, c) => s + (scores[c.key] ?? 0), 0))
  const weight = sheet.criteria.reduce((s, c) => s + (c.weight ?? 1), 0)
  return round2(
    (sheet.criteria.reduce((s, c) => s + ((c.weight ?? 1) * (scores[c.key] ?? 0)) / c.max, 0) / weight) * 100
  )
}

/** The panel's score: the mean, or the mean without the highest and lowest total once there are three or more. */
export function aggregate(sheet: ScoreSheet, totals: number[]): number | null {
  if (!totals.length) return null
  let list = [...totals].sort((a, b) => a - b)
  if (sheet.aggregate === 'trimmed_mean' && list.length >= 3) list = list.slice(1, -1)
  return round2(list.reduce((s, x) => s + x, 0) / list.length)
}

/** Closes a round over the sheets handed in; nobody scoring means it failed. */
export function scoreRound(sheet: ScoreSheet, tasks: TaskRow[]): ScoreResult {
  const scored = tasks.filter((t) => t.state === 'done' && t.decision === 'score' && t.scores)
  const totals = scored.map((t) => expertTotal(sheet, t.scores!)).sort((a, b) => a - b)
  const agg = aggregate(sheet, totals)
  if (sheet.pass.kind === 'threshold')
    return { count: scored.length, totals, aggregate: agg, passed: agg !== null && agg >= sheet.pass.value }
  const pass = scored.filter((t) => t.vote === 'pass').length
  const votes = { pass, fail: scored.length - pass }
  return {
    count: scored.length,
    totals,
    aggregate: agg,
    votes,
    passed: scored.length > 0 && pass / scored.length >= sheet.pass.ratio
  }
}
