import { BadRequest } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { asCaller, readable } from './caller.js'
import { deptFilter } from './departments.js'
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

/** Entries whose validity ends within `days` (or has ended), read with the caller's scope. */
export async function expiringEntries(
  app: Application,
  params: Params,
  days: number,
  today = new Date(),
  dept?: Record<string, unknown>
): Promise<ExpiringItem[]> {
  const out: ExpiringItem[] = []
  for (const m of WATCHED) {
    const field = m.spec.expiresField!
    const query: Doc = {
      [field]: { $lte: day(addDays(today, days)) },
      $sort: { [field]: 1 },
      ...(dept ? { deptId: dept } : {})
    }
    // Cancelled or revoked credentials are not due for anything.
    if (m.spec.key === 'certificates') query.credentialStatus = { $ne: 'cancelled' }
    if (m.spec.key === 'authorizations') query.status = { $nin: ['revoked'] }
    const rows =
      (await readable(
        app
          .service(m.collection.name.replace(/_/g, '-'))
          .find({ ...params, query, paginate: false }) as Promise<Doc[]>
      )) ?? []
    out.push(...rows.map((e) => item(m, e, today)))
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft)
}

/** `GET /api/expiring?days=30|90[&deptId=…]`: what expires soon (or has expired), in a department and those below it. */
export class ExpiringService {
  constructor(private readonly app: Application) {}

  async find(params: Params) {
    const days = Number(params.query?.days ?? 30)
    if (!Number.isInteger(days) || days < 0 || days > 3650)
      throw new BadRequest('days 应为 0–3650 (days must be 0–3650)', {
        errors: [{ field: 'days', reason: '0–3650' }]
      })
    return {
      days,
      data: await expiringEntries(
        this.app,
        asCaller(params),
        days,
        new Date(),
        await deptFilter(this.app, params.query?.deptId)
      )
    }
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
  const due = (await expiringEntries(app, {}, horizon, today)).filter(
    (e) => (notice[e.module] ?? []).includes(e.daysLeft) || e.daysLeft === 0
  )
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
