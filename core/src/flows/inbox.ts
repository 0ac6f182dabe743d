import { BadRequest } from '@feathersjs/errors'
import type { Db } from '@medaffairs/plugin-sdk'
import { shapeTask } from './access.js'
import type { FlowCatalog } from './catalog.js'
import { FlowStore, toInstance, toTask } from './store.js'
import type { Doc, InstanceRow } from './types.js'

export const BOXES = ['todo', 'done', 'started', 'cc'] as const
export type Box = (typeof BOXES)[number]

const encode = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url')
function decode(cursor: unknown, size: number): string[] | null {
  if (cursor === undefined || cursor === null || cursor === '') return null
  try {
    const parts = JSON.parse(Buffer.from(String(cursor), 'base64url').toString()) as unknown
    if (Array.isArray(parts) && parts.length === size && parts.every((p) => typeof p === 'string'))
      return parts
  } catch {
    // fall through to the error below
  }
  throw new BadRequest('翻页游标无效 (invalid cursor)', {
    errors: [{ field: 'after', reason: 'invalid cursor' }]
  })
}

/** Each box is one range scan of a partial index in keyset order (see the migration). */
const TASK_BOX: Record<
  Exclude<Box, 'started'>,
  { where: string; order: string; key: (r: Doc) => string[]; after: string }
> = {
  todo: {
    where: `t.state = 'pending' AND t.kind <> 'cc'`,
    order: 't.id DESC',
    key: (r) => [r.id],
    after: 't.id < $2'
  },
  cc: { where: `t.kind = 'cc'`, order: 't.id DESC', key: (r) => [r.id], after: 't.id < $2' },
  done: {
    where: `t.state = 'done' AND t.kind <> 'cc'`,
    order: 't.done_at DESC, t.id DESC',
    key: (r) => [new Date(r.done_at).toISOString(), r.id],
    after: '(t.done_at, t.id) < ($2::timestamptz, $3)'
  }
}

/** The caller's inbox: tasks to do, tasks done, copies received, and instances started. */
export class Inbox {
  constructor(
    private readonly db: Db,
    private readonly catalog: FlowCatalog
  ) {}

  async list(
    userId: string,
    box: Box,
    limit: number,
    after: unknown
  ): Promise<{ box: Box; data: Doc[]; next: string | null; total?: number }> {
    if (box === 'started') return this.#started(userId, limit, after)
    const spec = TASK_BOX[box]
    const cursor = decode(after, box === 'done' ? 2 : 1)
    const params: unknown[] = [userId, ...(cursor ?? [])]
    params.push(limit)
    const sql = `SELECT t.*, s.state AS step_state, i.flow_key AS i_flow_key, i.version AS i_version, i.collection AS i_collection,
        i.record_id AS i_record_id, i.state AS i_state, i.started_by AS i_started_by, i.started_at AS i_started_at
      FROM _flow_tasks t JOIN _flow_steps s ON s.id = t.step_id JOIN _flow_instances i ON i.id = t.instance_id
      WHERE t.assignee_id = $1 AND ${spec.where}${cursor ? ` AND ${spec.after}` : ''}
      ORDER BY ${spec.order} LIMIT $${params.length}`
    const { rows } = await this.db.query(sql, params)
    // The applicants' names, so a row says whose application it is (one query per page).
    const names = await new FlowStore(this.db).people(rows.map((r) => r.i_started_by as string))
    const data = await Promise.all(rows.map((r) => this.#task(r, userId, names)))
    const next = rows.length === limit ? encode(spec.key(rows[rows.length - 1])) : null
    if (box !== 'todo') return { box, data, next }
    const count = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM _flow_tasks WHERE assignee_id = $1 AND state = 'pending' AND kind <> 'cc'`,
      [userId]
    )
    return { box, data, next, total: Number(count.rows[0].n) }
  }

  async #task(r: Doc, viewerId: string, names: Record<string, string>): Promise<Doc> {
    const { def } = await this.catalog.at(r.i_flow_key, Number(r.i_version))
    const node = def.nodes.find((n) => n.id === r.node_id)
    const task = shapeTask(toTask(r), viewerId, r.step_state === 'active')
    return {
      ...task,
      nodeLabel: node?.label ?? null,
      nodeType: node?.type ?? null,
      flow: { key: def.key, version: Number(r.i_version), label: def.label },
      instance: {
        id: r.instance_id,
        collection: r.i_collection,
        recordId: r.i_record_id,
        state: r.i_state,
        startedBy: r.i_started_by,
        startedByName: names[r.i_started_by] ?? null,
        startedAt: new Date(r.i_started_at).toISOString()
      }
    }
  }

  async #started(userId: string, limit: number, after: unknown) {
    const cursor = decode(after, 1)
    const params: unknown[] = cursor ? [userId, cursor[0], limit] : [userId, limit]
    const { rows } = await this.db.query(
      `SELECT * FROM _flow_instances WHERE started_by = $1${cursor ? ' AND id < $2' : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params
    )
    const data = await Promise.all(rows.map(async (r) => instanceSummary(toInstance(r), this.catalog)))
    return {
      box: 'started' as const,
      data,
      next: rows.length === limit ? encode([rows[rows.length - 1].id]) : null
    }
  }
}

/** An instance with its flow's label and the labels of its active nodes, for lists. */
export async function instanceSummary(i: InstanceRow, catalog: FlowCatalog): Promise<Doc> {
  const { def } = await catalog.at(i.flowKey, i.version)
  const { deptId: _d, ...rest } = i
  return {
    ...rest,
    flowLabel: def.label,
    activeLabels: i.active.map((id) => def.nodes.find((n) => n.id === id)?.label ?? null)
  }
}
