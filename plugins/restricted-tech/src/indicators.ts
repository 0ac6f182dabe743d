import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { asCaller, requireRights } from './caller.js'
import { catalogueByCode } from './catalogue.js'
import { CASES, CASES_PATH } from './cases.js'
import { FILINGS_PATH, filingStatus, isoToday } from './filings.js'
import type { Indicators, TechnologyIndicators } from './indicators.shared.js'

type Doc = Record<string, any>

const PAGE = 500
const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 100 : null)
const invalid = (field: string, reason: string) => new BadRequest('参数不正确 (invalid request)', { errors: [{ field, reason }] })

/** `?year=2026&deptId=…&technologyCode=…`, checked. */
export function indicatorQuery(q: Doc, thisYear = new Date().getUTCFullYear()): { year: number; deptId: string | null; technologyCode: string | null } {
  const year = q.year === undefined || q.year === '' ? thisYear : Number(q.year)
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('year', '2000–2100 之间的年份 (a year from 2000 to 2100)')
  for (const k of ['deptId', 'technologyCode']) if (q[k] !== undefined && (typeof q[k] !== 'string' || q[k].length > 64)) throw invalid(k, '应为文本 (text)')
  return { year, deptId: q.deptId || null, technologyCode: q.technologyCode || null }
}

/** The department and every department below it. */
export async function subtree(app: Application, deptId: string): Promise<string[]> {
  const rows = (await app.service('departments').find({ query: { path: { $like: `%/${deptId}/%` }, $select: ['id'] }, paginate: false })) as Doc[]
  return [...new Set([deptId, ...rows.map((r) => r.id as string)])]
}

function blank(code: string, name: string): TechnologyIndicators {
  return { code, name, cases: 0, deaths: 0, complications: 0, mortalityRate: null, complicationRate: null, byMonth: Array(12).fill(0), filing: null }
}

/**
 * Walks the year's cases the caller may read, page by page (keyset), counting per
 * technology; memory stays at one page whatever the number of cases.
 */
async function countCases(app: Application, params: Params, query: Doc, names: Map<string, Doc>): Promise<Map<string, TechnologyIndicators>> {
  const out = new Map<string, TechnologyIndicators>()
  let after: string | null = null
  do {
    const page = (await app.service(CASES_PATH).find({
      ...params,
      query: { ...query, $select: ['id', 'technologyCode', 'procedureDate', 'complication', 'death'], $limit: PAGE, $count: 'none', ...(after ? { $after: after } : {}) }
    })) as { data: Doc[]; next: string | null }
    for (const c of page.data) {
      const t = out.get(c.technologyCode) ?? blank(c.technologyCode, names.get(c.technologyCode)?.name ?? c.technologyCode)
      t.cases++
      if (c.death === true) t.deaths++
      if (c.complication === true) t.complications++
      t.byMonth[Number(String(c.procedureDate).slice(5, 7)) - 1]++
      out.set(c.technologyCode, t)
    }
    after = page.next
  } while (after)
  return out
}

/** `GET /api/restricted-tech-indicators`: quality-control indicators per technology, within the caller's scope. */
export class IndicatorsService {
  constructor(private readonly app: Application) {}

  async find(params: Params): Promise<Indicators> {
    await requireRights(this.app, params, CASES, ['read'])
    const { year, deptId, technologyCode } = indicatorQuery((params.query ?? {}) as Doc)
    const query: Doc = { procedureDate: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } }
    if (deptId) query.deptId = { $in: await subtree(this.app, deptId) }
    if (technologyCode) query.technologyCode = technologyCode
    const names = await catalogueByCode(this.app)
    const perTech = await countCases(this.app, asCaller(params), query, names)
    const filings = (await this.app.service(FILINGS_PATH).find({ query: { technologyCode: { $in: [...perTech.keys()] } }, paginate: false })) as Doc[]
    const today = isoToday()
    for (const f of filings) {
      const t = perTech.get(f.technologyCode)
      if (t) t.filing = { firstCaseDate: f.firstCaseDate, deadline: f.deadline ?? null, filedDate: f.filedDate ?? null, authority: f.authority ?? null, status: filingStatus(f, today) }
    }
    const technologies = [...perTech.values()].sort((a, b) => a.code.localeCompare(b.code))
    for (const t of technologies) Object.assign(t, { mortalityRate: rate(t.deaths, t.cases), complicationRate: rate(t.complications, t.cases) })
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
    cases, deaths, complications,
    mortalityRate: rate(deaths, cases),
    complicationRate: rate(complications, cases),
    toFile, filed,
    filedOnTime: technologies.filter((t) => t.filing?.status === 'filed').length,
    overdue: technologies.filter((t) => t.filing?.status === 'overdue').length,
    filingCompletionRate: rate(filed, toFile),
    byMonth: Array.from({ length: 12 }, (_, m) => sum((t) => t.byMonth[m]))
  }
}
