import { BadRequest, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { I18nText } from '@medaffairs/plugin-sdk'
import { asCaller, readable } from './caller.js'
import { entryTitle } from './entry-title.shared.js'
import { ARCHIVE_MODULES } from './modules/index.js'
import { reviewStatusOf } from './review.js'

type Doc = Record<string, any>

/** The field that dates an entry on the timeline, by preference. */
const DATE_FIELDS = [
  'date',
  'publishDate',
  'startDate',
  'obtainedDate',
  'grantedDate',
  'issueDate',
  'approvedDate',
  'hireDate'
]

export interface TimelineItem {
  date: string
  module: string
  label: I18nText
  id: string
  title: string
}

/**
 * `GET /api/archive-profile/:userId`: everything about one person on one page — every
 * module's entries the caller may read, and a timeline — for the profile page and the
 * printable dossier.
 */
export class ProfileService {
  constructor(private readonly app: Application) {}

  async get(userId: string, params: Params) {
    if (typeof userId !== 'string' || !userId) throw new BadRequest('需要人员 (a person is required)')
    const people = (await this.app
      .service('users')
      .find({ ...asCaller(params), query: { id: userId, $limit: 1 }, paginate: false })) as Doc[]
    // Someone the caller may not see has no profile for them (not an empty one).
    const person = people[0]
    if (!person) throw new NotFound('没有该人员，或无权查看 (no such person, or not visible to you)')
    const modules = await Promise.all(
      ARCHIVE_MODULES.map(async (m) => {
        const path = m.collection.name.replace(/_/g, '-')
        const entries = await readable(
          this.app.service(path).find({
            ...asCaller(params),
            query: { staffId: userId, $sort: { createdAt: -1 }, $limit: 500 },
            paginate: false
          }) as Promise<Doc[]>
        )
        return {
          key: m.spec.key,
          collection: m.collection.name,
          label: m.spec.label,
          entries: entries ?? [],
          allowed: entries !== undefined
        }
      })
    )
    const timeline: TimelineItem[] = modules
      .flatMap((m) =>
        m.entries.map((e) => {
          const date = DATE_FIELDS.map((f) => e[f]).find((v) => typeof v === 'string' && v) as
            string | undefined
          const title = entryTitle(e)
          return {
            date: date ?? String(e.createdAt).slice(0, 10),
            module: m.key,
            label: m.label,
            id: e.id,
            title: title ?? m.label['zh-CN']
          }
        })
      )
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    await this.attachReviews(
      modules.flatMap((m) => m.entries.map((e) => [m.collection, e] as const)),
      params
    )
    const department = person.deptId
      ? ((await this.app
          .service('departments')
          .get(person.deptId)
          .catch(() => null)) as Doc | null)
      : null
    return {
      person,
      department: department ? { id: department.id, name: department.name, nameEn: department.nameEn } : null,
      modules,
      timeline
    }
  }

  /**
   * Entries not (yet) official get `review: {status, instanceId, comment}`: where the review
   * is, and for a rejected one the reviewer's reason. Approved and office-entered entries
   * need no look-up, so a long archive costs nothing extra.
   */
  private async attachReviews(entries: Array<readonly [string, Doc]>, params: Params): Promise<void> {
    const user = (params as { user?: Doc }).user
    const open = entries.filter(([, e]) => {
      const s = reviewStatusOf(e.state)
      return s !== null && s !== 'approved'
    })
    if (!user) return
    await Promise.all(
      open.map(async ([collection, e]) => {
        const found = (await this.app
          .service('flow-instances')
          .find({ user, query: { collection, recordId: e.id } } as Params)
          .catch(() => ({ data: [] }))) as { data: Doc[] }
        const latest = found.data[0]
        let comment: string | null = null
        if (latest && reviewStatusOf(e.state) === 'rejected') {
          const view = (await this.app
            .service('flow-instances')
            .get(latest.id, { user } as Params)
            .catch(() => null)) as Doc | null
          comment =
            (view?.tasks as Doc[] | undefined)?.filter((t) => t.decision === 'reject').pop()?.comment ?? null
        }
        e.review = { status: reviewStatusOf(e.state), instanceId: latest?.id ?? null, comment }
      })
    )
  }
}
