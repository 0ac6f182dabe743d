import { BadRequest, Forbidden, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { Actor } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import { permissionFor, withScope } from '../identity/acl.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { MaskingRules } from './masking-rules.js'

type ActorParams = Params & { actor?: Actor; ip?: string }

/**
 * `POST /api/unmask {collection, id, fields?}`: shows the clear values of masked fields of
 * one record to a user with the `unmask` right, and writes who saw what into the audit trail.
 */
export class UnmaskService {
  constructor(
    private readonly app: Application,
    private readonly registry: PluginRegistry,
    private readonly masking: MaskingRules,
    private readonly audit: AuditLog
  ) {}

  async create(data: { collection?: unknown; id?: unknown; fields?: unknown }, params: ActorParams) {
    if (params.provider && !params.actor?.grants.some((g) => g.actions.includes('unmask')))
      throw new Forbidden('无权查看明文 (not allowed to unmask)')
    const entry = this.registry.collections.get(String(data?.collection))
    if (!entry || typeof data.id !== 'string')
      throw new BadRequest('需要 collection 与 id (collection and id are required)')
    const actor = params.actor
    const kind = entry.def.kind ?? 'business'
    if (!actor || !permissionFor(actor, entry.def.name, 'unmask', kind).allowed)
      throw new Forbidden('无权查看明文 (not allowed to unmask)')
    const read = permissionFor(actor, entry.def.name, 'read', kind)
    const rules = await this.masking.rulesOf(entry.def.name)
    const wanted = Array.isArray(data.fields) ? data.fields.map(String) : [...rules.keys()]
    const fields = wanted.filter((f) => rules.has(f) && (!read.readFields || read.readFields.has(f)))
    const found = (await this.app
      .service(entry.path)
      .find({ query: withScope({ id: data.id, $limit: 1 }, read.scope), paginate: false })) as Record<
      string,
      unknown
    >[]
    if (!found.length) throw new NotFound('记录不存在 (no such record)')
    const values = Object.fromEntries(fields.map((f) => [f, found[0][f] ?? null]))
    await this.audit.append([
      {
        action: 'unmask',
        collection: entry.def.name,
        recordId: data.id,
        actor: { id: actor.id, name: actor.name },
        ip: params.ip ?? null,
        diff: { fields }
      }
    ])
    return { id: data.id, values }
  }
}
