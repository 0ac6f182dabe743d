import type { HookContext, NextFunction } from '@feathersjs/feathers'
import type { CollectionDefinition, Db, MaskRule } from '@medaffairs/plugin-sdk'
import type { AuditAction, AuditLog } from './audit-log.js'
import { changes } from './diff.js'

type Doc = Record<string, any>
const WRITES = new Set(['create', 'update', 'patch', 'remove'])
const list = (v: unknown): Doc[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]) as Doc[]

export interface AuditHookDeps {
  db: Db
  audit: AuditLog
  /** Masks for fields that must not appear in clear in the trail. */
  masksOf(collection: string): Promise<ReadonlyMap<string, MaskRule>>
}

/** The rows a write will touch, as they are before it (for the diff). */
async function before(context: HookContext): Promise<Map<string, Doc>> {
  if (context.method === 'create') return new Map()
  const given = (context.params as { existing?: Doc }).existing
  if (given && context.id !== null && context.id !== undefined) return new Map([[String(given.id), given]])
  const params = { query: { ...(context.params.query ?? {}) }, paginate: false as const }
  const rows =
    context.id === null || context.id === undefined
      ? ((await context.service.find(params)) as Doc[])
      : [(await context.service.get(context.id, params).catch(() => undefined)) as Doc | undefined].filter(
          (r): r is Doc => !!r
        )
  return new Map(rows.map((r) => [String(r.id), r]))
}

/** Fields of a definition marked sensitive are masked in the trail even without a masking rule. */
export function sensitiveMasks(
  def: CollectionDefinition,
  rules: ReadonlyMap<string, MaskRule>
): ReadonlyMap<string, MaskRule> {
  const out = new Map(rules)
  for (const f of def.fields)
    if (f.sensitive && !out.has(f.name)) out.set(f.name, { kind: 'keep', first: 0, last: 0 })
  return out
}

/**
 * Every write of every collection leaves an audit entry per record, in the same
 * transaction as the write: either both are stored or neither.
 */
export function auditHook(def: CollectionDefinition, deps: AuditHookDeps) {
  return async (context: HookContext, next: NextFunction) => {
    if (!WRITES.has(context.method) || (context.params as { audit?: boolean }).audit === false) return next()
    const run = async () => {
      const previous = await before(context)
      await next()
      const masks = sensitiveMasks(def, await deps.masksOf(def.name))
      const actor =
        (context.params as { actor?: Doc; user?: Doc }).actor ?? (context.params as { user?: Doc }).user
      const ip = (context.params as { ip?: string }).ip ?? null
      const action = context.method as AuditAction
      // Values meant for the caller's answer only (a generated initial password) never enter the trail.
      const hidden = (context.params as { responseOnly?: string[] }).responseOnly ?? []
      const entries = list(context.dispatch ?? context.result).map((after) => {
        const id = String(after.id)
        const kept = hidden.length
          ? Object.fromEntries(Object.entries(after).filter(([k]) => !hidden.includes(k)))
          : after
        const diff = action === 'remove' ? {} : changes(previous.get(id), kept, masks)
        return {
          action,
          collection: def.name,
          recordId: id,
          actor: actor ? { id: actor.id, name: actor.name ?? actor.username } : null,
          ip,
          diff
        }
      })
      await deps.audit.append(entries)
    }
    await (deps.db.inTransaction() ? run() : deps.db.transaction(run))
  }
}
