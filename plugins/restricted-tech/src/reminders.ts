import type { Application } from '@feathersjs/feathers'
import { APPLICATIONS_PATH } from './applications.js'
import { loadAdjustments } from './calendar.js'
import { catalogueByCode } from './catalogue.js'
import { CASES_PATH } from './cases.js'
import { FILINGS_PATH, filingStatus, isoToday } from './filings.js'
import { addCalendarDays, workingDaysBetween } from './working-days.js'

type Doc = Record<string, any>

export const REMINDER_JOB = 'restricted-tech.filing-reminders'
/** Working days before the deadline at which the responsible people are told (0 = on the day). */
export const DEFAULT_NOTICE_WORKING_DAYS = [5, 2, 0]

/**
 * Which notice is due for a filing `left` working days before its deadline: the nearest
 * notice point already reached (so a day the job did not run is caught up once, not
 * several times), or `overdue` after the deadline. Null when nothing is due yet.
 */
export function noticeDue(left: number, points: number[]): string | null {
  if (left < 0) return 'overdue'
  const reached = points.filter((p) => left <= p).sort((a, b) => a - b)
  return reached.length ? `d${reached[0]}` : null
}

/** Keys at or before a notice: once `d2` went out, `d5` is never sent afterwards. */
function keysThrough(key: string, points: number[]): string[] {
  if (key === 'overdue') return ['overdue', ...points.map((p) => `d${p}`)]
  const n = Number(key.slice(1))
  return points.filter((p) => p >= n).map((p) => `d${p}`)
}

/** The people responsible for a technology's filing: medical affairs, the approved leads, who registered the first case. */
async function recipients(app: Application, filing: Doc): Promise<string[]> {
  const office = (await app.service('users').find({
    query: { roles: 'medical_affairs_admin', status: 'active', $select: ['id'] },
    paginate: false
  })) as Doc[]
  const approved = (await app.service(APPLICATIONS_PATH).find({
    query: { technologyCode: filing.technologyCode, state: 'approved', $select: ['leaderId'] },
    paginate: false
  })) as Doc[]
  const first = filing.firstCaseId
    ? ((await app
        .service(CASES_PATH)
        .get(filing.firstCaseId)
        .catch(() => null)) as Doc | null)
    : null
  return [
    ...new Set(
      [...office.map((u) => u.id), ...approved.map((a) => a.leaderId), first?.createdBy].filter(
        (id): id is string => typeof id === 'string'
      )
    )
  ]
}

function message(name: string, filing: Doc, left: number): { 'zh-CN': string; 'en-US': string } {
  if (left < 0)
    return {
      'zh-CN': `「${name}」备案已逾期（截止 ${filing.deadline}），请尽快备案`,
      'en-US': `Filing of "${name}" is overdue (deadline ${filing.deadline})`
    }
  if (left === 0)
    return {
      'zh-CN': `「${name}」今日为备案截止日（${filing.deadline}）`,
      'en-US': `Filing of "${name}" is due today (${filing.deadline})`
    }
  return {
    'zh-CN': `「${name}」距备案截止还有 ${left} 个工作日（${filing.deadline}）`,
    'en-US': `Filing of "${name}" is due in ${left} working days (${filing.deadline})`
  }
}

/**
 * The daily job: for every open filing, the notice that is due (5 and 2 working days before,
 * on the day, once overdue) goes to the responsible people once; the status follows the day.
 * Returns how many filings were notified.
 */
export async function sendFilingReminders(
  app: Application,
  today = isoToday(),
  points = DEFAULT_NOTICE_WORKING_DAYS
): Promise<number> {
  const service = app.service(FILINGS_PATH)
  const open = (await service.find({
    query: { filedDate: null, deadline: { $ne: null } },
    paginate: false
  })) as Doc[]
  if (!open.length) return 0
  const names = await catalogueByCode(app)
  const dates = open
    .map((f) => f.deadline as string)
    .concat(today)
    .sort()
  const adjustments = await loadAdjustments(
    app,
    addCalendarDays(dates[0], -1),
    addCalendarDays(dates[dates.length - 1], 1)
  )
  let sent = 0
  for (const filing of open) {
    const left = workingDaysBetween(today, filing.deadline, adjustments)
    const key = noticeDue(left, points)
    const already = new Set<string>(filing.remindersSent ?? [])
    const status = filingStatus(filing, today)
    if (!key || already.has(key)) {
      if (status !== filing.status) await service.patch(filing.id, { status })
      continue
    }
    const name = names.get(filing.technologyCode)?.name ?? filing.technologyCode
    await app.service('notifications').create({
      userIds: await recipients(app, filing),
      kind: 'restricted_tech.filing_due',
      title: message(name, filing, left),
      link: `/records/${FILINGS_PATH}/${filing.id}`,
      source: { collection: 'restricted_tech_filings', id: filing.id },
      data: { technologyCode: filing.technologyCode, deadline: filing.deadline, workingDaysLeft: left }
    })
    await service.patch(filing.id, {
      status,
      remindersSent: [...new Set([...already, ...keysThrough(key, points)])]
    })
    sent++
  }
  return sent
}
