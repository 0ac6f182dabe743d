// `GET /api/restricted-tech-indicators` as server and web app share it; types only, so the
// web app imports it with `import type` and nothing of the plugin reaches its bundle.

/** Where a filing stands: filed on time or late, or still open and maybe overdue. */
export type FilingStatus = 'pending' | 'overdue' | 'filed' | 'filed_late'

export interface TechnologyIndicators {
  code: string
  name: string
  cases: number
  deaths: number
  complications: number
  /** Percentages with two decimals; null without cases. */
  mortalityRate: number | null
  complicationRate: number | null
  /** Cases per month of the year (January first). */
  byMonth: number[]
  filing: {
    firstCaseDate: string
    deadline: string | null
    filedDate: string | null
    authority: string | null
    status: FilingStatus
  } | null
}

export interface Indicators {
  year: number
  deptId: string | null
  totals: {
    cases: number
    deaths: number
    complications: number
    mortalityRate: number | null
    complicationRate: number | null
    /** Technologies with cases in the view that must be filed, how many are filed, and on time. */
    toFile: number
    filed: number
    filedOnTime: number
    overdue: number
    filingCompletionRate: number | null
    byMonth: number[]
  }
  technologies: TechnologyIndicators[]
}
