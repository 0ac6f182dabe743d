import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { defineCollection, pagesOf } from '@medaffairs/plugin-sdk'
import { asCaller, readablePages } from './caller.js'
import { isOfficial } from './review.js'
import { deptFilter } from './departments.js'

type Doc = Record<string, any>

/**
 * Credit rules: which archive entries earn CME credits, of which class, how many by
 * default (an entry's own credits win). Editable by the hospital; defaults per DOMAIN.md.
 */
export const creditRules = defineCollection({
  name: 'credit_rules',
  kind: 'config',
  label: { 'zh-CN': '学分规则', 'en-US': 'Credit rules' },
  fields: [
    { name: 'module', type: 'string', filterable: true, required: true },
    { name: 'when', type: 'json' },
    { name: 'creditClass', type: 'string', required: true },
    { name: 'credits', type: 'number', required: true },
    { name: 'order', type: 'number', sortable: true },
    { name: 'description', type: 'string' }
  ],
  everyone: [{ actions: ['read'], scope: 'all' }]
})

/** The yearly requirement (继续医学教育): ≥ 25 credits, ≥ 5 of class I, ≥ 15 of class II; no substitution. */
export const DEFAULT_REQUIREMENT = { total: 25, classI: 5, classII: 15 }

export const DEFAULT_CREDIT_RULES = [
  {
    module: 'training',
    when: { nature: 'cme_national' },
    creditClass: 'I',
    credits: 10,
    order: 10,
    description: '国家级继续医学教育项目'
  },
  {
    module: 'training',
    when: { nature: 'cme_provincial' },
    creditClass: 'I',
    credits: 5,
    order: 20,
    description: '省级继续医学教育项目'
  },
  { module: 'training', when: {}, creditClass: 'II', credits: 2, order: 30, description: '其他培训' },
  {
    module: 'papers',
    when: { journalLevel: 'sci' },
    creditClass: 'II',
    credits: 10,
    order: 40,
    description: 'SCI 论文'
  },
  { module: 'papers', when: {}, creditClass: 'II', credits: 5, order: 50, description: '其他论文' },
  {
    module: 'research',
    when: { level: 'national' },
    creditClass: 'II',
    credits: 10,
    order: 60,
    description: '国家级科研项目'
  },
  { module: 'research', when: {}, creditClass: 'II', credits: 5, order: 70, description: '其他科研项目' },
  {
    module: 'academic_activities',
    when: { role: 'speaker' },
    creditClass: 'II',
    credits: 2,
    order: 80,
    description: '学术报告'
  },
  {
    module: 'academic_activities',
    when: {},
    creditClass: 'II',
    credits: 1,
    order: 90,
    description: '参加学术活动'
  },
  {
    module: 'medical_activities',
    when: {},
    creditClass: 'II',
    credits: 2,
    order: 100,
    description: '重大医疗活动'
  }
]

/** The date that puts an entry in a year, per module. */
const YEAR_FIELD: Record<string, string> = {
  training: 'startDate',
  papers: 'publishDate',
  research: 'startDate',
  academic_activities: 'date',
  medical_activities: 'startDate'
}

function matches(entry: Doc, when: Doc | undefined): boolean {
  return Object.entries(when ?? {}).every(([k, v]) => entry[k] === v)
}

/** Class and credits of one entry: its own values when entered, else the first matching rule. */
export function creditOf(
  module: string,
  entry: Doc,
  rules: Doc[]
): { creditClass: string; credits: number } | undefined {
  const rule = rules.find((r) => r.module === module && matches(entry, r.when))
  const creditClass = entry.creditClass ?? rule?.creditClass
  const credits = typeof entry.credits === 'number' ? entry.credits : rule?.credits
  return creditClass && typeof credits === 'number' ? { creditClass, credits } : undefined
}

interface Totals {
  staffId: string
  classI: number
  classII: number
  total: number
  compliant: boolean
}

/**
 * `GET /api/credits?year=2025[&staffId=…][&deptId=… with the departments below]`: yearly credit totals per person
 * against the requirement, from the entries the caller may read, and the compliance of
 * the department(s) in view.
 */
export class CreditsService {
  constructor(
    private readonly app: Application,
    private readonly requirement = DEFAULT_REQUIREMENT
  ) {}

  async find(params: Params) {
    const q = params.query ?? {}
    const year = Number(q.year ?? new Date().getFullYear())
    if (!Number.isInteger(year) || year < 1950 || year > 2100)
      throw new BadRequest('年度不正确 (year must be a year)', {
        errors: [{ field: 'year', reason: '1950–2100' }]
      })
    const rules = (await this.app
      .service('credit-rules')
      .find({ query: { $sort: { order: 1 } }, paginate: false })) as Doc[]
    const totals = new Map<string, Totals>()
    const dept = await deptFilter(this.app, q.deptId)
    for (const [module, dateField] of Object.entries(YEAR_FIELD)) {
      const filter: Doc = { [dateField]: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } }
      if (typeof q.staffId === 'string') filter.staffId = q.staffId
      if (dept) filter.deptId = dept
      const service = this.app.service(`archive-${module.replace(/_/g, '-')}`)
      // A page at a time: a year of a whole hospital's entries never sits in memory at once.
      for await (const page of readablePages(pagesOf(service, asCaller(params), filter)))
        this.add(totals, module, page, rules)
    }
    const people = [...totals.values()].map((t) => ({
      ...t,
      compliant:
        t.total >= this.requirement.total &&
        t.classI >= this.requirement.classI &&
        t.classII >= this.requirement.classII
    }))
    return {
      year,
      requirement: this.requirement,
      people,
      compliant: people.filter((p) => p.compliant).length
    }
  }

  /** Adds a page of a module's entries to the totals; entries still in review or sent back do not count yet. */
  private add(totals: Map<string, Totals>, module: string, entries: Doc[], rules: Doc[]): void {
    for (const e of entries.filter(isOfficial)) {
      const c = creditOf(module, e, rules)
      if (!c) continue
      const t = totals.get(e.staffId) ?? {
        staffId: e.staffId,
        classI: 0,
        classII: 0,
        total: 0,
        compliant: false
      }
      if (c.creditClass === 'I') t.classI += c.credits
      else t.classII += c.credits
      t.total = t.classI + t.classII
      totals.set(e.staffId, t)
    }
  }
}
