import { DEFAULT_RULE } from './mature.js'
import { monthsBetween, today } from './guards.js'
import type { Check, ConversionMetrics, ConversionRule } from './candidates.shared.js'

type Doc = Record<string, any>

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10000) / 100 : 0)
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** The project's own figures where it set them, else the hospital's default rule. */
export function ruleOf(project: Doc, hospital: Doc | undefined): ConversionRule {
  const base = { ...DEFAULT_RULE, ...(hospital ?? {}) }
  const pick = (own: unknown, fallback: number) =>
    num(own) ? { v: own, s: 'project' as const } : { v: fallback, s: 'default' as const }
  const period = pick(project.convPeriodMonths, base.periodMonths)
  const cases = pick(project.convMinCases, base.minCases)
  const rate = pick(project.convMaxComplicationRate, base.maxComplicationRate)
  return {
    periodMonths: period.v,
    minCases: cases.v,
    maxComplicationRate: rate.v,
    source: { periodMonths: period.s, minCases: cases.s, maxComplicationRate: rate.s }
  }
}

/**
 * A project against its conversion rule, from the totals its tracking reports keep: long
 * enough since it started, enough cases, complications under the ceiling.
 */
export function metricsOf(project: Doc, hospital: Doc | undefined, on = today()): ConversionMetrics {
  const rule = ruleOf(project, hospital)
  const cases = num(project.totalCases) ? project.totalCases : 0
  const complications = num(project.totalComplications) ? project.totalComplications : 0
  const adverseEvents = num(project.totalAdverseEvents) ? project.totalAdverseEvents : 0
  const months = project.startedAt ? monthsBetween(project.startedAt, on) : 0
  const complicationRate = pct(complications, cases)
  const cured =
    (num(project.totalCured) ? project.totalCured : 0) +
    (num(project.totalImproved) ? project.totalImproved : 0)
  const checks: Check[] = [
    {
      key: 'period',
      ok: !!project.startedAt && months >= rule.periodMonths,
      actual: months,
      required: rule.periodMonths
    },
    { key: 'cases', ok: cases >= rule.minCases, actual: cases, required: rule.minCases },
    {
      key: 'complications',
      ok: cases > 0 && complicationRate <= rule.maxComplicationRate,
      actual: complicationRate,
      required: rule.maxComplicationRate
    }
  ]
  return {
    months,
    cases,
    complications,
    adverseEvents,
    complicationRate,
    cureImproveRate: cases ? pct(cured, cases) : null,
    rule,
    checks,
    eligible: checks.every((c) => c.ok)
  }
}
