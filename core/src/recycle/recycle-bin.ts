import { BadRequest, Forbidden, NotAuthenticated } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { Actor, CollectionDefinition, Db } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import { permissionFor, withScope, type Permission } from '../identity/acl.js'
import type { PluginRegistry } from '../plugins/loader.js'

type Doc = Record<string, any>
type ActorParams = Params & {
  actor?: Actor
  ip?: string
  user?: Record<string, unknown>
  query?: Record<string, any>
}

export interface BinEntry {
  collection: string
  label?: CollectionDefinition['label']
  id: string
  title: string
  deletedAt: string
  deletedBy: string | null
  record: Doc
}

export interface BinItem {
  collection: string
  id: string
}

/** Hooks other parts (files) add so that what belongs to a record follows it in and out of the bin. */
export type BinListener = (collection: string, ids: string[], deleted: boolean) => Promise<void>

const TITLE_FIELDS = ['title', 'name', 'code', 'username']
const titleOf = (r: Doc) =>
  String(TITLE_FIELDS.map((f) => r[f]).find((v) => typeof v === 'string' && v) ?? r.id)

/**
 * The recycle bin across every collection: each user sees the removed records of the
 * collections they may restore, within their data scope; restore and purge are audited and
 * run in one transaction.
 */
export class RecycleBinService {
  readonly followers: BinListener[] = []

  constructor(
    private readonly app: Application,
    private readonly db: Db,
    private readonly registry: PluginRegistry,
    private readonly audit: AuditLog
  ) {}

  private allowed(
    actor: Actor | undefined,
    action: 'restore' | 'delete',
    only?: string
  ): Array<{ def: CollectionDefinition; path: string; perm: Permission }> {
    const out = []
    for (const { def, path } of this.registry.collections.values()) {
      if (only && def.name !== only) continue
      const perm = actor
        ? permissionFor(actor, def.name, action, def.kind ?? 'business')
        : { allowed: true, scope: null, readFields: null, writeFields: null }
      if (perm.allowed) out.push({ def, path, perm })
    }
    return out
  }

  /** External calls must carry an actor: "no actor" means trusted internal code only. */
  private guard(params: ActorParams): void {
    if (params.provider && !params.actor) throw new NotAuthenticated('请先登录 (sign in first)')
  }

  /** `GET /api/recycle-bin?collection=&deletedBy=&from=&to=&$limit=&$skip=` — newest removals first. */
  async find(params: ActorParams): Promise<{ total: number; limit: number; skip: number; data: BinEntry[] }> {
    this.guard(params)
    const q = params.query ?? {}
    const limit = Math.min(Number(q.$limit) || 20, 200)
    const skip = Math.max(Number(q.$skip) || 0, 0)
    const filter: Doc = {}
    if (typeof q.deletedBy === 'string') filter.deletedBy = q.deletedBy
    if (q.from || q.to)
      filter.deletedAt = {
        ...(q.from ? { $gte: String(q.from) } : {}),
        ...(q.to ? { $lt: String(q.to) } : {})
      }
    const sources = this.allowed(
      params.actor,
      'restore',
      typeof q.collection === 'string' ? q.collection : undefined
    )
    const pages = await Promise.all(
      sources.map(async ({ def, path, perm }) => {
        const query = withScope(
          { ...filter, $sort: { deletedAt: -1 }, $limit: skip + limit, $count: 'exact' },
          perm.scope
        )
        const page = (await this.app.service(path).find({ query, deleted: 'only' } as Params)) as {
          total: number
          data: Doc[]
        }
        return { def, page }
      })
    )
    const data = pages
      .flatMap(({ def, page }) =>
        page.data.map((r) => ({
          collection: def.name,
          label: def.label,
          id: r.id,
          title: titleOf(r),
          deletedAt: r.deletedAt,
          deletedBy: r.deletedBy ?? null,
          record: r
        }))
      )
      .sort((a, b) => (a.deletedAt < b.deletedAt ? 1 : a.deletedAt > b.deletedAt ? -1 : 0))
      .slice(skip, skip + limit)
    return { total: pages.reduce((n, p) => n + p.page.total, 0), limit, skip, data }
  }

  private async apply(items: unknown, params: ActorParams, action: 'restore' | 'purge'): Promise<BinItem[]> {
    this.guard(params)
    if (!Array.isArray(items) || !items.length || items.length > 1000)
      throw new BadRequest('items 应为 1–1000 条 {collection, id} (items must list 1–1000 {collection, id})')
    const done: BinItem[] = []
    await this.db.transaction(async () => {
      for (const item of items as BinItem[]) {
        const [source] = this.allowed(params.actor, 'restore', String(item?.collection))
        const canDelete =
          !params.actor ||
          permissionFor(params.actor, String(item?.collection), 'delete', source?.def.kind ?? 'business')
            .allowed
        if (!source || (action === 'purge' && !canDelete))
          throw new Forbidden(
            `无权${action === 'restore' ? '恢复' : '彻底删除'}：${item?.collection} (not allowed)`
          )
        const query = withScope({ id: String(item.id) }, source.perm.scope)
        const service = this.app.service(source.path) as unknown as Record<
          string,
          (id: null, p: Params) => Promise<Doc[]>
        >
        const rows = await service[action](null, { query, user: params.user } as Params)
        if (!rows.length)
          throw new BadRequest(
            `回收站中没有该记录：${item.collection}/${item.id} (not in the recycle bin or out of scope)`
          )
        done.push({ collection: source.def.name, id: String(item.id) })
      }
      for (const l of this.followers) {
        for (const c of new Set(done.map((d) => d.collection)))
          await l(
            c,
            done.filter((d) => d.collection === c).map((d) => d.id),
            action === 'purge'
          )
      }
      const actor = params.actor ? { id: params.actor.id, name: params.actor.name } : null
      await this.audit.append(
        done.map((d) => ({ action, collection: d.collection, recordId: d.id, actor, ip: params.ip ?? null }))
      )
    })
    return done
  }

  /** `POST /api/recycle-bin {action: 'restore'|'purge', items: [{collection, id}]}`. */
  async create(
    data: { action?: unknown; items?: unknown },
    params: ActorParams
  ): Promise<{ action: string; items: BinItem[] }> {
    if (data?.action !== 'restore' && data?.action !== 'purge')
      throw new BadRequest('action 应为 restore 或 purge (action must be restore or purge)', {
        errors: [{ field: 'action', reason: 'restore | purge' }]
      })
    return { action: data.action, items: await this.apply(data.items, params, data.action) }
  }

  /** Purges what was removed more than `days` ago, collection by collection (the retention job). */
  async purgeOlderThan(days: number): Promise<number> {
    let purged = 0
    const cutoff = new Date(Date.now() - days * 86_400_000).toISOString()
    for (const { def, path } of this.registry.collections.values()) {
      const service = this.app.service(path) as unknown as { purge(id: null, p: Params): Promise<Doc[]> }
      const rows = await service.purge(null, { query: { deletedAt: { $lt: cutoff } } } as Params)
      for (const l of this.followers)
        await l(
          def.name,
          rows.map((r) => String(r.id)),
          true
        )
      if (rows.length)
        await this.audit.append(
          rows.map((r) => ({
            action: 'purge' as const,
            collection: def.name,
            recordId: String(r.id),
            diff: { retentionDays: days }
          }))
        )
      purged += rows.length
    }
    return purged
  }
}
