import { Conflict } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import type { Actor, Db, FlowDefinition } from '@medaffairs/plugin-sdk'
import { SYSTEM_FIELDS } from '@medaffairs/plugin-sdk'

type Doc = Record<string, any>
interface Running {
  id: string
  flow_key: string
  version: number
  record_id: string
  started_by: string
}

const SYSTEM = new Set<string>(SYSTEM_FIELDS)
const METHODS = new Set(['update', 'patch', 'remove'])

/** Fields a write changes: for a patch the keys whose value differs, for an update also those it drops. */
function changedFields(context: HookContext, existing: Doc | undefined): string[] | null {
  if (context.method === 'remove' || !existing) return null
  const data = (context.data ?? {}) as Doc
  const keys = new Set(Object.keys(data))
  if (context.method === 'update') for (const k of Object.keys(existing)) if (!SYSTEM.has(k)) keys.add(k)
  return [...keys].filter((k) => k !== 'rev' && JSON.stringify(existing[k]) !== JSON.stringify(data[k]))
}

/**
 * The record lock of running flows. While a record has a running instance, only holders of
 * the flow's `editRoles` may change it; the assignees of the current step may change that
 * step's `editableFields`; an application returned to its applicant is theirs to edit again.
 * Everyone else gets 409. External writes only: the engine itself writes `state` internally.
 *
 * Put the returned hook in the records pipeline's write path, after the data scope check
 * (it reads `params.actor` and, when set, `params.existing`).
 */
export function flowLock(db: Db) {
  const defs = new Map<string, FlowDefinition>()
  const defOf = async (key: string, version: number): Promise<FlowDefinition | null> => {
    const id = `${key}@${version}`
    if (!defs.has(id)) {
      const { rows } = await db.query<{ body: FlowDefinition | string }>(
        'SELECT body FROM _flow_versions WHERE flow_key = $1 AND version = $2',
        [key, version]
      )
      if (!rows.length) return null
      defs.set(id, typeof rows[0].body === 'string' ? JSON.parse(rows[0].body) : rows[0].body)
    }
    return defs.get(id)!
  }

  const allowed = async (run: Running, actor: Actor, changed: string[] | null): Promise<boolean> => {
    const def = await defOf(run.flow_key, Number(run.version))
    if (!def) return false
    if (def.editRoles?.some((r) => actor.roles.includes(r))) return true
    if (changed && !changed.length) return true
    const { rows } = await db.query<{ node_id: string }>(
      `SELECT DISTINCT node_id FROM _flow_tasks WHERE instance_id = $1 AND assignee_id = $2 AND state = 'pending' AND kind <> 'cc'`,
      [run.id, actor.id]
    )
    const nodes = rows.map((r) => def.nodes.find((n) => n.id === r.node_id)).filter((n) => !!n)
    if (!changed) return false
    if (nodes.some((n) => n.type === 'start')) return true
    const editable = new Set(nodes.flatMap((n) => n.editableFields ?? []))
    return changed.every((f) => editable.has(f))
  }

  return async function flowLockHook(context: HookContext): Promise<void> {
    if (!context.params.provider || !METHODS.has(context.method)) return
    const actor = (context.params as { actor?: Actor }).actor
    const collection = String(context.path).replace(/-/g, '_')
    const many = context.id === null || context.id === undefined
    const { rows } = await db.query<Running>(
      `SELECT id, flow_key, version, record_id, started_by FROM _flow_instances WHERE collection = $1 AND state = 'running'${many ? '' : ' AND record_id = $2'}`,
      many ? [collection] : [collection, String(context.id)]
    )
    if (!rows.length) return
    let hit = rows
    let existing = (context.params as { existing?: Doc }).existing
    if (many) {
      // A batch write is refused when it would reach a record under review.
      const { $limit: _l, $skip: _s, $sort: _o, $select: _c, ...filter } = (context.params.query ?? {}) as Doc
      const query = { $and: [filter, { id: { $in: rows.map((r) => r.record_id) } }], $select: ['id'] }
      const touched = new Set(
        ((await context.service.find({ query, paginate: false })) as Doc[]).map((r) => String(r.id))
      )
      hit = rows.filter((r) => touched.has(r.record_id))
      existing = undefined
    } else if (!existing && context.method !== 'remove')
      existing = (await context.service.get(context.id)) as Doc
    const changed = many ? null : changedFields(context, existing)
    for (const run of hit) {
      if (actor && (await allowed(run, actor, changed))) continue
      throw new Conflict('记录审核中，暂不能修改 (the record is under review)', {
        reason: 'under_review',
        instanceId: run.id,
        flowKey: run.flow_key
      })
    }
  }
}
