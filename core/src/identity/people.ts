import { Forbidden } from '@feathersjs/errors'
import type { Application, HookContext, NextFunction, Params } from '@feathersjs/feathers'
import { isPinyinQuery, likeContains, pinyinMatches, type Actor, type Person } from '@medaffairs/plugin-sdk'
import { permissionFor } from './acl.js'
import type { OrgDirectory } from './org.js'
import { parsePeopleQuery, type PeopleQuery } from './people-query.js'

type Doc = Record<string, any>

const ESSENTIALS = ['id', 'username', 'name', 'deptId']

/**
 * Every signed-in user may look colleagues up (the `staff` role reads only itself on
 * `users`); an API key only when it may read `users`. A session that must first change its
 * password or enrol a second factor may not.
 */
export function peopleAccess(actors: { fromContext(context: HookContext): Promise<Actor> }) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider) {
      const actor = await actors.fromContext(context)
      const restriction = (context.params as { authentication?: { restriction?: string } }).authentication
        ?.restriction
      if (restriction)
        throw new Forbidden('请先完成账户设置 (finish your account setup first)', { restriction })
      if (actor.kind === 'apikey' && !permissionFor(actor, 'users', 'read', 'system').allowed) {
        throw new Forbidden('该 API 密钥无权读取用户 (the API key may not read users)')
      }
    }
    await next()
  }
}

/**
 * `GET /api/people?q=&ids=&deptId=&$limit=&$skip=`: the colleague directory behind the user
 * pickers. A search finds active users by name or employee number, and by full pinyin or
 * initials when the text is Latin letters; `ids` names users whatever their status (to show
 * stored ids by name). Each row carries only `id, username, name, deptId, deptName`.
 */
export class PeopleService {
  constructor(
    private readonly app: Application,
    private readonly org: OrgDirectory
  ) {}

  async find(params: Params) {
    const asked = parsePeopleQuery(params.query)
    const filter = await this.filter(asked)
    const query = {
      ...filter,
      $select: ESSENTIALS,
      $sort: { username: 1 },
      $limit: asked.limit,
      $skip: asked.skip
    }
    const page = (await this.app
      .service('users')
      .find({ query, paginate: { default: asked.limit, max: asked.limit } })) as {
      total: number
      data: Doc[]
    }
    return { total: page.total, limit: asked.limit, skip: asked.skip, data: await this.rows(page.data) }
  }

  private async filter(asked: PeopleQuery): Promise<Doc> {
    const filter: Doc = asked.ids ? { id: { $in: asked.ids } } : { status: 'active' }
    if (asked.deptId) filter.deptId = { $in: await this.org.subtree(asked.deptId) }
    if (asked.text) filter.$or = await this.matching(asked.text, filter)
    return filter
  }

  /** Name or number by ILIKE; Latin letters also by pinyin, over the names the filter reaches. */
  private async matching(text: string, filter: Doc): Promise<Doc[]> {
    const pattern = likeContains(text)
    const or: Doc[] = [{ name: { $ilike: pattern } }, { username: { $ilike: pattern } }]
    if (!isPinyinQuery(text)) return or
    const needle = text.toLowerCase()
    const names = (await this.app
      .service('users')
      .find({ query: { ...filter, $select: ['id', 'name'] }, paginate: false })) as Doc[]
    const ids = names.filter((u) => pinyinMatches(String(u.name ?? ''), needle)).map((u) => u.id)
    return ids.length ? [...or, { id: { $in: ids } }] : or
  }

  private async rows(users: Doc[]): Promise<Person[]> {
    const deptIds = [...new Set(users.map((u) => u.deptId).filter((d): d is string => typeof d === 'string'))]
    const depts = deptIds.length
      ? ((await this.app.service('departments').find({
          query: { id: { $in: deptIds }, $select: ['id', 'name', 'nameEn'] },
          paginate: false
        })) as Doc[])
      : []
    const byId = new Map(depts.map((d) => [d.id, d]))
    return users.map((u) => {
      const d = byId.get(u.deptId)
      return {
        id: u.id,
        username: u.username,
        name: u.name,
        deptId: u.deptId ?? null,
        deptName: d ? { 'zh-CN': d.name, 'en-US': d.nameEn || d.name } : null
      }
    })
  }
}
