import { BadRequest, Forbidden, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { Actor } from '@medaffairs/plugin-sdk'
import { permissionFor, withScope } from '../identity/acl.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { AuditEntry, AuditLog } from './audit-log.js'

type ActorParams = Params & { actor?: Actor; query?: Record<string, any> }

const text = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : undefined)

/**
 * `GET /api/audit`: the whole trail, for the audit administrator (and whoever is granted
 * read on `audit`): filter by user, collection, record, action and time; newest first,
 * paged with `beforeSeq`.
 */
export class AuditService {
  constructor(private readonly audit: AuditLog) {}

  async find(params: ActorParams): Promise<{ data: AuditEntry[]; next: number | null }> {
    if (params.provider && !(params.actor && permissionFor(params.actor, 'audit', 'read', 'audit').allowed)) {
      throw new Forbidden(
        '仅审计管理员可查看审计日志 (only the audit administrator may read the audit trail)'
      )
    }
    const q = params.query ?? {}
    const limit = Math.min(Number(q.$limit) || 50, 500)
    const beforeSeq = q.beforeSeq !== undefined ? Number(q.beforeSeq) : undefined
    if (beforeSeq !== undefined && !Number.isSafeInteger(beforeSeq))
      throw new BadRequest('beforeSeq 应为整数 (beforeSeq must be an integer)')
    for (const k of ['from', 'to'])
      if (q[k] !== undefined && Number.isNaN(Date.parse(q[k])))
        throw new BadRequest(`${k} 应为日期时间 (${k} must be a date-time)`, {
          errors: [{ field: k, reason: 'ISO date-time' }]
        })
    const data = await this.audit.search(
      {
        actorId: text(q.actorId),
        collection: text(q.collection),
        recordId: text(q.recordId),
        action: text(q.action),
        from: text(q.from),
        to: text(q.to),
        beforeSeq
      },
      limit
    )
    return { data, next: data.length === limit ? data[data.length - 1].seq : null }
  }
}

/**
 * `GET /api/history?collection=papers&recordId=…`: the history of one record, for anyone who
 * may read that record (its scope is checked through the collection's own service).
 */
export class HistoryService {
  constructor(
    private readonly app: Application,
    private readonly registry: PluginRegistry,
    private readonly audit: AuditLog
  ) {}

  async find(params: ActorParams): Promise<{ data: AuditEntry[]; next: number | null }> {
    const q = params.query ?? {}
    const entry = this.registry.collections.get(String(q.collection))
    if (!entry || typeof q.recordId !== 'string')
      throw new BadRequest('需要 collection 与 recordId (collection and recordId are required)')
    const actor = params.actor
    if (params.provider) {
      const perm = actor
        ? permissionFor(actor, entry.def.name, 'read', entry.def.kind ?? 'business')
        : undefined
      if (!perm?.allowed) throw new Forbidden('无权查看该记录 (not allowed to read this record)')
      const found = (await this.app.service(entry.path).find({
        query: withScope({ id: q.recordId, $limit: 1 }, perm.scope),
        paginate: false,
        deleted: 'include'
      } as Params)) as unknown[]
      if (!found.length) throw new NotFound('记录不存在 (no such record)')
    }
    const beforeSeq = q.beforeSeq !== undefined ? Number(q.beforeSeq) : undefined
    const limit = Math.min(Number(q.$limit) || 50, 200)
    const data = await this.audit.search(
      { collection: entry.def.name, recordId: q.recordId, beforeSeq },
      limit
    )
    return { data, next: data.length === limit ? data[data.length - 1].seq : null }
  }
}
