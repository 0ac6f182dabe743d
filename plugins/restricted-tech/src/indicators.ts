import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { readScope, type Db } from '@medaffairs/plugin-sdk'
import { asCaller, requireRights } from './caller.js'
import { catalogueByCode } from './catalogue.js'
import { CASES, CASES_PATH } from './cases.js'
import { FILINGS_PATH, filingStatus, isoToday } from './filings.js'
import type { Indicators, TechnologyIndicators } from './indicators.shared.js'

type Doc = Record<string, any>

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 100 : null)
const invalid = (field: string, reason: string) =>
  new BadRequest('参数不正确 (invalid request)', { errors: [{ field, reason }] })

/** `?year=2026&deptId=…&technologyCode=…`, checked. */
export function indicatorQuery(
  q: Doc,
  thisYear = new Date().getUTCFullYear()
): { year: number; deptId: string | null; technologyCode: string | null } {
  const year = q.year === undefined || q.year === '' ? thisYear : Number(q.year)
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw invalid('year', '2000–2100 之间的年份 (a year from 2000 to 2100)')
  for (const k of ['deptId', 'technologyCode'])
    if (q[k] !== undefined && (typeof q[k] !== 'string' || q[k].length > 64))
      throw invalid(k, '应为文本 (text)')
  return { year, deptId: q.deptId || null, technologyCode: q.technologyCode || null }
}

/** The department and every department below it. */
export async function subtree(app: Application, deptId: string): Promise<string[]> {
  const rows = (await app
    .service('departments')
    .find({ query: { path: { $like: `%/${deptId}/%` }, $select: ['id'] }, paginate: false })) as Doc[]
  return [...new Set([deptId, ...rows.map((r) => r.id as string)])]
}

function blank(code: string, name: string): TechnologyIndicators {
  return {
    code,
    name,
    cases: 0,
    deaths: 0,
    complications: 0,
    mortalityRate: null,
    complicationRate: null,
    byMonth: Array(12).fill(0),
    filing: null
  }
}

/**
 * The year's cases the caller may read, counted per technology and month by the database
 * in one query (the same rows a list would show them), whatever the number of cases.
 */
async function countCases(
  app: Application,
  db: Db,
  params: Params,
  query: Doc,
  names: Map<string, Doc>
): Promise<Map<string, TechnologyIndicators>> {
  const scope = await readScope(app.service(CASES_PATH), query, params)
  const code = scope.field('technologyCode')
  const month = `substr(${scope.field('procedureDate')}, 6, 2)`
  const { rows } = await db.query<{
    code: string
    month: number | null
    cases: number
    deaths: number
    complications: number
  }>(
    `SELECT ${code} AS code, CASE WHEN ${month} ~ '^[0-9]{2}$' THEN ${month}::int END AS month, count(*)::int AS cases,
       count(*) FILTER (WHERE ${scope.field('death')} IS TRUE)::int AS deaths,
       count(*) FILTER (WHERE ${scope.field('complication')} IS TRUE)::int AS complications
     FROM ${scope.table} WHERE ${scope.where} GROUP BY 1, 2`,
    scope.params
  )
  const out = new Map<string, TechnologyIndicators>()
  for (const r of rows) {
    const t = out.get(r.code) ?? blank(r.code, names.get(r.code)?.name ?? r.code)
    t.cases += r.cases
    t.deaths += r.deaths
    t.complications += r.complications
    if (r.month !== null && r.month >= 1 && r.month <= 12) t.byMonth[r.month - 1] += r.cases
    out.set(r.code, t)
  }
  return out
}

/** `GET /api/restricted-tech-indicators`: quality-control indicators per technology, within the caller's scope. */
export class IndicatorsService {
  constructor(
    private readonly app: Application,
    private readonly db: Db
  ) {}

  async find(params: Params): Promise<Indicators> {
    await requireRights(this.app, params, CASES, ['read'])
    const { year, deptId, technologyCode } = indicatorQuery((params.query ?? {}) as Doc)
    const query: Doc = { procedureDate: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } }
    if (deptId) query.deptId = { $in: await subtree(this.app, deptId) }
    if (technologyCode) query.technologyCode = technologyCode
    const names = await catalogueByCode(this.app)
    const perTech = await countCases(this.app, this.db, asCaller(params), query, names)
    const filings = (await this.app
      .service(FILINGS_PATH)
      .find({ query: { technologyCode: { $in: [...perTech.keys()] } }, paginate: false })) as Doc[]
    const today = isoToday()
    for (const f of filings) {
      const t = perTech.get(f.technologyCode)
      if (t)
        t.filing = {
          firstCaseDate: f.firstCaseDate,
          deadline: f.deadline ?? null,
          filedDate: f.filedDate ?? null,
          authority: f.authority ?? null,
          status: filingStatus(f, today)
        }
    }
    const technologies = [...perTech.values()].sort((a, b) => a.code.localeCompare(b.code))
    for (const t of technologies)
      Object.assign(t, {
        mortalityRate: rate(t.deaths, t.cases),
        complicationRate: rate(t.complications, t.cases)
      })
    return { year, deptId, totals: totalsOf(technologies), technologies }
  }
}

function totalsOf(technologies: TechnologyIndicators[]): Indicators['totals'] {
  const sum = (f: (t: TechnologyIndicators) => number) => technologies.reduce((s, t) => s + f(t), 0)
  const cases = sum((t) => t.cases)
  const deaths = sum((t) => t.deaths)
  const complications = sum((t) => t.complications)
  const toFile = technologies.filter((t) => t.filing).length
  const filed = technologies.filter((t) => t.filing?.filedDate).length
  return {
    cases,
    deaths,
    complications,
    mortalityRate: rate(deaths, cases),
    complicationRate: rate(complications, cases),
    toFile,
    filed,
    filedOnTime: technologies.filter((t) => t.filing?.status === 'filed').length,
    overdue: technologies.filter((t) => t.filing?.status === 'overdue').length,
    filingCompletionRate: rate(filed, toFile),
    byMonth: Array.from({ length: 12 }, (_, m) => sum((t) => t.byMonth[m]))
  }
}
