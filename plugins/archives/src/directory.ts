import type { Application, Params } from '@feathersjs/feathers'
import { isPinyinQuery, likeContains, pinyinMatches } from '@medaffairs/plugin-sdk'
import { asCaller } from './caller.js'
import { allDepartments, subtree } from './departments.js'
import { invalidParam, listPaging } from './paging.js'

type Doc = Record<string, any>

/** Left or retired (离职/退休) staff are listed apart from those on duty. */
export const FORMER_STATUSES = ['left', 'retired']
const USER_FIELDS = ['id', 'username', 'name', 'deptId', 'titleSeries', 'title', 'status']
const MAX_LIMIT = 100

/**
 * `GET /api/staff-directory?q=&deptId=&status=active|former&$limit=&$skip=`: find a person —
 * by name, employee number or pinyin (`wxd`, `wangxiao`), within a department and those
 * below it, on duty or left/retired apart — among the people the caller may see. Pages on
 * the server; each row carries the department name and the basic-information essentials.
 */
export class DirectoryService {
  constructor(private readonly app: Application) {}

  async find(params: Params) {
    const q = (params.query ?? {}) as Doc
    const status = q.status ?? 'active'
    if (status !== 'active' && status !== 'former') throw invalidParam('status', 'active | former')
    const { limit, skip } = listPaging(q, 20, MAX_LIMIT)
    const text = typeof q.q === 'string' ? q.q.trim().slice(0, 50) : ''
    const departments = await allDepartments(this.app)
    const query: Doc = { $select: USER_FIELDS, $sort: { username: 1 }, $limit: limit, $skip: skip }
    if (typeof q.deptId === 'string' && q.deptId) query.deptId = { $in: subtree(departments, q.deptId) }
    const former = await this.formerIds()
    query.id = status === 'former' ? { $in: former } : { $nin: former }
    if (text) query.$or = await this.matching(text, params, query)
    const page = (await this.app
      .service('users')
      .find({ ...asCaller(params), query, paginate: { default: limit, max: MAX_LIMIT } })) as {
      total: number
      data: Doc[]
    }
    return { total: page.total, limit, skip, status, data: await this.rows(page.data, departments) }
  }

  /** Name or number by LIKE; a Latin query also by pinyin, over the names the caller may see. */
  private async matching(text: string, params: Params, base: Doc): Promise<Doc[]> {
    const pattern = likeContains(text)
    const or: Doc[] = [{ name: { $ilike: pattern } }, { username: { $ilike: pattern } }]
    if (!isPinyinQuery(text)) return or
    const needle = text.toLowerCase()
    const { $limit: _l, $skip: _s, $sort: _o, ...filter } = base
    const names = (await this.app
      .service('users')
      .find({ ...asCaller(params), query: { ...filter, $select: ['id', 'name'] }, paginate: false })) as Doc[]
    const ids = names.filter((u) => pinyinMatches(String(u.name ?? ''), needle)).map((u) => u.id)
    return ids.length ? [...or, { id: { $in: ids } }] : or
  }

  private async formerIds(): Promise<string[]> {
    const rows = (await this.app.service('archive-basic-info').find({
      query: { staffStatus: { $in: FORMER_STATUSES }, $select: ['staffId'] },
      paginate: false
    })) as Doc[]
    return rows.map((r) => r.staffId)
  }

  private async rows(users: Doc[], departments: Doc[]): Promise<Doc[]> {
    if (!users.length) return []
    const infos = (await this.app.service('archive-basic-info').find({
      query: {
        staffId: { $in: users.map((u) => u.id) },
        $select: ['staffId', 'employeeNo', 'staffStatus', 'photos', 'sex', 'seniorityTotal', 'seniorityHere']
      },
      paginate: false
    })) as Doc[]
    const info = new Map(infos.map((i) => [i.staffId, i]))
    const dept = new Map(departments.map((d) => [d.id, d]))
    return users.map((u) => {
      const b = info.get(u.id) ?? {}
      const d = dept.get(u.deptId)
      return {
        ...u,
        deptName: d ? { 'zh-CN': d.name, 'en-US': d.nameEn ?? d.name } : null,
        employeeNo: b.employeeNo ?? u.username,
        staffStatus: b.staffStatus ?? 'active',
        photo: b.photos?.[0] ?? null,
        seniorityTotal: b.seniorityTotal ?? null
      }
    })
  }
}
