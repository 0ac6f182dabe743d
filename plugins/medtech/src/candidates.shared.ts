// `GET /api/medtech-candidates` as server and web app share it; types only, so the web app
// imports it with `import type` and nothing of the plugin reaches its bundle.

export interface ConversionRule {
  periodMonths: number
  minCases: number
  /** Percent of cases. */
  maxComplicationRate: number
  /** Where each figure came from: the project's own rule or the hospital default. */
  source: Record<'periodMonths' | 'minCases' | 'maxComplicationRate', 'project' | 'default'>
}

export interface Check {
  key: 'period' | 'cases' | 'complications'
  ok: boolean
  actual: number
  required: number
}

export interface ConversionMetrics {
  months: number
  cases: number
  complications: number
  adverseEvents: number
  /** Percent, two decimals; 0 with no cases. */
  complicationRate: number
  cureImproveRate: number | null
  rule: ConversionRule
  checks: Check[]
  eligible: boolean
}

export interface Candidate {
  id: string
  name: string
  applyDept: string | null
  leaderId: string | null
  level: string | null
  startedAt: string | null
  state: string
  /** At the evaluation step: the conversion can be confirmed now. */
  ready: boolean
  metrics: ConversionMetrics
}
