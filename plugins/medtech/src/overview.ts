import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { readSnapshot, type Db } from '@medaffairs/plugin-sdk'
import { asCaller, paging } from './caller.js'
import { addDays, today } from './guards.js'
import { TRACKING } from './lifecycle.js'
import { PATH } from './names.js'

type Doc = Record<string, any>

/** The stages a project passes through, by its record state. */
export const STAGES: Record<string, Doc> = {
  draft: { state: null },
  reviewing: {
    $and: [
      { state: { $like: 'reviewing:%' } },
      { state: { $ne: TRACKING } },
      { state: { $ne: 'reviewing:evaluation' } }
    ]
  },
  tracking: { state: TRACKING },
  evaluation: { state: 'reviewing:evaluation' },
  converted: { state: 'converted' },
  stopped: { state: 'stopped' },
  rejected: { state: { $in: ['rejected', 'withdrawn'] } }
}
const BOXES = ['all', 'due', 'overdue'] as const
/** A report counts as due this many days before its date. */
const DUE_WITHIN_DAYS = 30

/**
 * `GET /api/medtech-overview?box=all|due|overdue`: the caller's projects by stage, and the
 * projects under tracking whose report is due within 30 days or overdue, paged on the server.
 * Every count and the page are read from one snapshot, so the answer agrees with itself.
 */
export class OverviewService {
  constructor(
    private readonly app: Application,
    private readonly db: Db
  ) {}

  async find(params: Params) {
    const q = (params.query ?? {}) as Doc
    const box = (q.box ?? 'all') as (typeof BOXES)[number]
    if (!BOXES.includes(box))
      throw new BadRequest(`box 应为 ${BOXES.join('/')} (unknown box)`, {
        errors: [{ field: 'box', reason: BOXES.join(', ') }]
      })
    const { limit, skip } = paging(q)
    const caller = asCaller(params)
    const projects = this.app.service(PATH.projects)
    const count = async (query: Doc) =>
      ((await projects.find({ ...caller, query: { ...query, $limit: 0 } })) as { total: number }).total
    const now = today()
    const soon = addDays(now, DUE_WITHIN_DAYS)
    const overdue = { state: TRACKING, nextReportDue: { $lt: now } }
    const due = { state: TRACKING, nextReportDue: { $gte: now, $lte: soon } }
    const filter = box === 'overdue' ? overdue : box === 'due' ? due : {}
    const sort = box === 'all' ? { applyDate: -1 } : { nextReportDue: 1 }
    const read = async () => {
      const stages: Record<string, number> = {}
      for (const [stage, query] of Object.entries(STAGES)) stages[stage] = await count(query)
      const page = (await projects.find({
        ...caller,
        query: { ...filter, $limit: limit, $skip: skip, $sort: sort }
      })) as { total: number; data: Doc[] }
      return { stages, page, dueCount: await count(due), overdueCount: await count(overdue) }
    }
    const { stages, page, dueCount, overdueCount } = await readSnapshot(this.db, read)
    const data = page.data.map((p) => ({
      id: p.id,
      name: p.name,
      applyDept: p.applyDept ?? null,
      leaderId: p.leaderId ?? null,
      level: p.level ?? null,
      state: p.state ?? null,
      startedAt: p.startedAt ?? null,
      nextReportDue: p.nextReportDue ?? null,
      reportCount: p.reportCount ?? 0,
      totalCases: p.totalCases ?? 0,
      authorization: p.authorization?.status ?? null,
      report:
        p.state !== TRACKING || !p.nextReportDue
          ? null
          : p.nextReportDue < now
            ? 'overdue'
            : p.nextReportDue <= soon
              ? 'due'
              : 'scheduled'
    }))
    return {
      today: now,
      stages,
      dueCount,
      overdueCount,
      box,
      total: page.total,
      limit,
      skip,
      data
    }
  }
}
