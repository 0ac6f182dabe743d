import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { pagesOf } from '@medaffairs/plugin-sdk'
import { asCaller, readable } from './caller.js'
import { deptFilter } from './departments.js'
import { listPaging } from './paging.js'
import { ARCHIVE_MODULES } from './modules/index.js'

type Doc = Record<string, any>

/** Days before expiry at which the person and the responsible office are told, per module (editable in settings). */
export const DEFAULT_NOTICE_DAYS: Record<string, number[]> = {
  certificates: [90, 30, 7],
  authorizations: [60, 30, 7],
  assessments: [60, 30]
}

const WATCHED = ARCHIVE_MODULES.filter((m) => m.spec.expiresField)

const day = (d: Date) => d.toISOString().slice(0, 10)
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000)

export interface ExpiringItem {
  module: string
  collection: string
  id: string
  staffId: string
  deptId: string | null
  field: string
  date: string
  daysLeft: number
  status: 'expired' | 'expiring'
  title: string
}

function item(module: (typeof WATCHED)[number], e: Doc, today: Date): ExpiringItem {
  const field = module.spec.expiresField!
  const daysLeft = Math.round(
    (new Date(`${e[field]}T00:00:00Z`).getTime() - new Date(`${day(today)}T00:00:00Z`).getTime()) / 86_400_000
  )
  return {
    module: module.spec.key,
    collection: module.collection.name,
    id: e.id,
    staffId: e.staffId,
    deptId: e.deptId ?? null,
    field,
    date: e[field],
    daysLeft,
    status: daysLeft < 0 ? 'expired' : 'expiring',
    title: String(e.item ?? e.number ?? e.kind ?? module.spec.label['zh-CN'])
  }
}

interface Window {
  days: number
  today: Date
  /** `deptId` filter (a department and those below), or none. */
  dept?: unknown
  /** Only entries still valid today (the reminders); otherwise expired ones are listed too. */
  validOnly?: boolean
}

/** The query of one module's entries whose validity ends within the window (soonest first). */
function windowQuery(m: (typeof WATCHED)[number], w: Window): Doc {
  const field = m.spec.expiresField!
  const query: Doc = {
    [field]: {
      $lte: day(addDays(w.today, w.days)),
      ...(w.validOnly ? { $gte: day(w.today) } : {})
    },
    $sort: { [field]: 1 },
    ...(w.dept ? { deptId: w.dept } : {})
  }
  // Cancelled or revoked credentials are not due for anything.
  if (m.spec.key === 'certificates') query.credentialStatus = { $ne: 'cancelled' }
  if (m.spec.key === 'authorizations') query.status = { $nin: ['revoked'] }
  return query
}

const pathOf = (m: (typeof WATCHED)[number]) => m.collection.name.replace(/_/g, '-')
/** Soonest first; ties in a fixed order, so that pages never overlap or skip. */
const bySoonest = (a: ExpiringItem, b: ExpiringItem) =>
  a.daysLeft - b.daysLeft || a.module.localeCompare(b.module) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * One page of the entries whose validity ends within `days` (or has ended), read with the
 * caller's scope. Each module gives at most `skip + limit` rows, soonest first, so a page
 * merged from them is exact without reading the rest.
 */
export async function expiringPage(
  app: Application,
  params: Params,
  w: Window,
  limit: number,
  skip: number
): Promise<{ total: number; data: ExpiringItem[] }> {
  let total = 0
  const items: ExpiringItem[] = []
  for (const m of WATCHED) {
    const service = app.service(pathOf(m))
    const query = windowQuery(m, w)
    const counted = await readable(
      service.find({ ...params, query: { ...query, $limit: 0 } }) as Promise<{ total: number }>
    )
    if (!counted) continue
    total += counted.total
    if (!counted.total) continue
    const rows = (await service.find({
      ...params,
      query: { ...query, $limit: skip + limit },
      paginate: false
    } as Params)) as Doc[]
    items.push(...rows.map((e) => item(m, e, w.today)))
  }
  return { total, data: items.sort(bySoonest).slice(skip, skip + limit) }
}

/** `GET /api/expiring?days=30|90[&deptId=…][&$limit&$skip]`: what expires soon (or has expired), in a department and those below it, a page at a time. */
export class ExpiringService {
  constructor(private readonly app: Application) {}

  async find(params: Params) {
    const q = params.query ?? {}
    const days = Number(q.days ?? 30)
    if (!Number.isInteger(days) || days < 0 || days > 3650)
      throw new BadRequest('days 应为 0–3650 (days must be 0–3650)', {
        errors: [{ field: 'days', reason: '0–3650' }]
      })
    const { limit, skip } = listPaging(q, 50, 200)
    const dept = await deptFilter(this.app, q.deptId)
    const page = await expiringPage(
      this.app,
      asCaller(params),
      { days, today: new Date(), dept },
      limit,
      skip
    )
    return { days, limit, skip, ...page }
  }
}

const OFFICE_ROLE: Record<string, string> = {
  certificates: 'medical_affairs_admin',
  authorizations: 'medical_affairs_admin',
  assessments: 'medical_affairs_admin'
}

/**
 * The daily reminder: for each entry reaching a notice day (e.g. 30 days left), the person
 * and the office responsible are notified once, with a link to the entry. Returns how many
 * notifications were sent. Runs as a scheduled job.
 */
export async function sendExpiryReminders(
  app: Application,
  today = new Date(),
  notice = DEFAULT_NOTICE_DAYS
): Promise<number> {
  const horizon = Math.max(...Object.values(notice).flat())
  const due: ExpiringItem[] = []
  for (const m of WATCHED) {
    const query = windowQuery(m, { days: horizon, today, validOnly: true })
    for await (const page of pagesOf(app.service(pathOf(m)), {}, query))
      for (const e of page) {
        const entry = item(m, e, today)
        if ((notice[entry.module] ?? []).includes(entry.daysLeft) || entry.daysLeft === 0) due.push(entry)
      }
  }
  let sent = 0
  for (const e of due) {
    const office = (await app.service('users').find({
      query: { roles: OFFICE_ROLE[e.module], status: 'active', $select: ['id'] },
      paginate: false
    })) as Doc[]
    const expired = e.daysLeft === 0
    await app.service('notifications').create({
      userIds: [e.staffId, ...office.map((u) => u.id)],
      kind: 'credential.expiring',
      title: {
        'zh-CN': expired
          ? `「${e.title}」今日到期`
          : `「${e.title}」将于 ${e.daysLeft} 天后到期（${e.date}）`,
        'en-US': expired
          ? `"${e.title}" expires today`
          : `"${e.title}" expires in ${e.daysLeft} days (${e.date})`
      },
      link: `/records/${e.collection.replace(/_/g, '-')}/${e.id}`,
      source: { collection: e.collection, id: e.id }
    })
    sent++
  }
  return sent
}
