import type { ScoreSheet } from '@medaffairs/plugin-sdk'

/**
 * The score sheet's arithmetic in the browser, the same as core's scoring.ts: the live total
 * an expert sees while filling in, and the checks that catch a slip before sending (the
 * server checks again and has the last word).
 */

const round2 = (n: number) => Math.round(n * 100) / 100

/** Points as typed (a field may be empty or half typed): a number, or null when not one. */
export function parsePoints(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null
  const text = String(raw).trim()
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return null
  return Number(text)
}

/** The best total the sheet allows: the sum of maxima, or 100 for a weighted sheet. */
export function maxTotal(sheet: ScoreSheet): number {
  return sheet.aggregate === 'weighted' ? 100 : round2(sheet.criteria.reduce((s, c) => s + c.max, 0))
}

/** One expert's total as core computes it; criteria not filled in yet count as 0. */
export function sheetTotal(sheet: ScoreSheet, scores: Record<string, number | null | undefined>): number {
  const points = (key: string) => scores[key] ?? 0
  if (sheet.aggregate !== 'weighted') return round2(sheet.criteria.reduce((s, c) => s + points(c.key), 0))
  const weight = sheet.criteria.reduce((s, c) => s + (c.weight ?? 1), 0)
  return round2(
    (sheet.criteria.reduce((s, c) => s + ((c.weight ?? 1) * points(c.key)) / c.max, 0) / weight) * 100
  )
}

/** A score for people: up to two decimals, no trailing zeros (85, 72.5, 66.67). */
export function formatPoints(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  return String(round2(n))
}

export type ScoreProblem = 'required' | 'range'

/** Checks typed points against the sheet: every criterion a number from 0 to its maximum. */
export function checkSheet(
  sheet: ScoreSheet,
  raw: Record<string, string>
): { scores: Record<string, number>; problems: Record<string, ScoreProblem> } {
  const scores: Record<string, number> = {}
  const problems: Record<string, ScoreProblem> = {}
  for (const c of sheet.criteria) {
    const text = raw[c.key]
    const v = parsePoints(text)
    if (v === null) problems[c.key] = text?.trim() ? 'range' : 'required'
    else if (v < 0 || v > c.max) problems[c.key] = 'range'
    else scores[c.key] = v
  }
  return { scores, problems }
}

/** Server errors `scores.<key>` (and `vote`, `comment`) keyed by the criterion for display at the field. */
export function scoreFieldErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, reason] of Object.entries(errors))
    out[field.startsWith('scores.') ? field.slice(7) : field] = reason
  return out
}
