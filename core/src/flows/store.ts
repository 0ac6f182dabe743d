import type { Db } from '@medaffairs/plugin-sdk'
import { newId } from '../storage/ids.js'
import type { Doc, InstanceRow, StepData, StepRow, TaskKind, TaskRow } from './types.js'

const iso = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString()
      : new Date(v as string).toISOString()
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T))

export function toInstance(r: Doc): InstanceRow {
  return {
    id: r.id,
    flowKey: r.flow_key,
    version: Number(r.version),
    collection: r.collection,
    recordId: r.record_id,
    deptId: r.dept_id,
    state: r.state,
    outcome: r.outcome,
    active: r.active ?? [],
    startedBy: r.started_by,
    startedAt: iso(r.started_at)!,
    endedAt: iso(r.ended_at)
  }
}

export function toStep(r: Doc): StepRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    nodeId: r.node_id,
    round: Number(r.round),
    state: r.state,
    decision: r.decision,
    prevStepId: r.prev_step_id,
    data: json<StepData>(r.data) ?? {},
    dueAt: iso(r.due_at),
    escalateAt: iso(r.escalate_at),
    repeatAt: iso(r.repeat_at),
    createdAt: iso(r.created_at)!,
    endedAt: iso(r.ended_at)
  }
}

export function toTask(r: Doc): TaskRow {
  return {
    id: r.id,
    instanceId: r.instance_id,
    stepId: r.step_id,
    nodeId: r.node_id,
    assigneeId: r.assignee_id,
    kind: r.kind,
    state: r.state,
    decision: r.decision,
    comment: r.comment,
    scores: json<Record<string, number> | null>(r.scores),
    vote: r.vote,
    data: json<Doc | null>(r.data),
    dueAt: iso(r.due_at),
    remindAt: iso(r.remind_at),
    addedBy: r.added_by,
    createdAt: iso(r.created_at)!,
    doneAt: iso(r.done_at)
  }
}

export interface NewTask {
  assigneeId: string
  kind: TaskKind
  dueAt?: Date | null
  remindAt?: Date | null
  addedBy?: string | null
  state?: 'pending' | 'done'
}

/** The SQL of the engine's tables; every call joins the caller's transaction. */
export class FlowStore {
  constructor(readonly db: Db) {}

  async lockInstance(id: string): Promise<InstanceRow | null> {
    const { rows } = await this.db.query('SELECT * FROM _flow_instances WHERE id = $1 FOR UPDATE', [id])
    return rows.length ? toInstance(rows[0]) : null
  }

  /** The instance of a task, locked; the task's instance never changes, so the subquery needs no lock. */
  async lockInstanceOfTask(taskId: string): Promise<InstanceRow | null> {
    const { rows } = await this.db.query(
      'SELECT * FROM _flow_instances WHERE id = (SELECT instance_id FROM _flow_tasks WHERE id = $1) FOR UPDATE',
      [taskId]
    )
    return rows.length ? toInstance(rows[0]) : null
  }

  async instance(id: string): Promise<InstanceRow | null> {
    const { rows } = await this.db.query('SELECT * FROM _flow_instances WHERE id = $1', [id])
    return rows.length ? toInstance(rows[0]) : null
  }

  async insertInstance(
    i: Omit<InstanceRow, 'startedAt' | 'endedAt' | 'outcome' | 'active' | 'state'>,
    now: Date
  ): Promise<InstanceRow> {
    const { rows } = await this.db.query(
      `INSERT INTO _flow_instances (id, flow_key, version, collection, record_id, dept_id, state, started_by, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8) RETURNING *`,
      [i.id, i.flowKey, i.version, i.collection, i.recordId, i.deptId, i.startedBy, now]
    )
    return toInstance(rows[0])
  }

  async saveInstance(i: InstanceRow): Promise<void> {
    await this.db.query(
      'UPDATE _flow_instances SET state = $2, outcome = $3, active = $4::text[], ended_at = $5 WHERE id = $1',
      [i.id, i.state, i.outcome, i.active, i.endedAt]
    )
  }

  async steps(instanceId: string, open = false): Promise<StepRow[]> {
    const where = open ? ` AND state IN ('active', 'waiting')` : ''
    const { rows } = await this.db.query(
      `SELECT * FROM _flow_steps WHERE instance_id = $1${where} ORDER BY id`,
      [instanceId]
    )
    return rows.map(toStep)
  }

  async step(id: string): Promise<StepRow | null> {
    const { rows } = await this.db.query('SELECT * FROM _flow_steps WHERE id = $1', [id])
    return rows.length ? toStep(rows[0]) : null
  }

  async insertStep(
    s: {
      instanceId: string
      nodeId: string
      state: StepRow['state']
      prevStepId: string | null
      data?: StepData
      dueAt?: Date | null
      escalateAt?: Date | null
      decision?: string | null
    },
    now: Date
  ): Promise<StepRow> {
    const { rows } = await this.db.query(
      `INSERT INTO _flow_steps (id, instance_id, node_id, round, state, decision, prev_step_id, data, due_at, escalate_at, created_at, ended_at)
       VALUES ($1, $2, $3, (SELECT count(*) + 1 FROM _flow_steps WHERE instance_id = $2 AND node_id = $3), $4, $5, $6, $7::jsonb, $8, $9, $10,
               CASE WHEN $4 IN ('done', 'cancelled') THEN $10::timestamptz END) RETURNING *`,
      [
        newId(),
        s.instanceId,
        s.nodeId,
        s.state,
        s.decision ?? null,
        s.prevStepId,
        JSON.stringify(s.data ?? {}),
        s.dueAt ?? null,
        s.escalateAt ?? null,
        now
      ]
    )
    return toStep(rows[0])
  }

  async updateStep(s: StepRow): Promise<void> {
    await this.db.query(
      `UPDATE _flow_steps SET state = $2, decision = $3, data = $4::jsonb, due_at = $5, escalate_at = $6, repeat_at = $7, ended_at = $8 WHERE id = $1`,
      [s.id, s.state, s.decision, JSON.stringify(s.data), s.dueAt, s.escalateAt, s.repeatAt, s.endedAt]
    )
  }

  async tasksOfStep(stepId: string): Promise<TaskRow[]> {
    const { rows } = await this.db.query('SELECT * FROM _flow_tasks WHERE step_id = $1 ORDER BY id', [stepId])
    return rows.map(toTask)
  }

  async tasksOfInstance(instanceId: string): Promise<TaskRow[]> {
    const { rows } = await this.db.query('SELECT * FROM _flow_tasks WHERE instance_id = $1 ORDER BY id', [
      instanceId
    ])
    return rows.map(toTask)
  }

  async task(id: string): Promise<TaskRow | null> {
    const { rows } = await this.db.query('SELECT * FROM _flow_tasks WHERE id = $1', [id])
    return rows.length ? toTask(rows[0]) : null
  }

  /** Inserts the tasks of a step in one statement. */
  async insertTasks(step: StepRow, tasks: NewTask[], now: Date): Promise<TaskRow[]> {
    if (!tasks.length) return []
    const list = tasks.map((t) => ({
      id: newId(),
      a: t.assigneeId,
      k: t.kind,
      s: t.state ?? 'pending',
      d: t.dueAt ?? null,
      r: t.remindAt ?? null,
      b: t.addedBy ?? null
    }))
    const { rows } = await this.db.query(
      `INSERT INTO _flow_tasks (id, instance_id, step_id, node_id, assignee_id, kind, state, due_at, remind_at, added_by, created_at, done_at)
       SELECT x.id, $2, $3, $4, x.a, x.k, x.s, x.d, x.r, x.b, $5, CASE WHEN x.s = 'done' THEN $5::timestamptz END
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, a text, k text, s text, d timestamptz, r timestamptz, b text)
       RETURNING *`,
      [JSON.stringify(list), step.instanceId, step.id, step.nodeId, now]
    )
    return rows.map(toTask).sort((a, b) => a.id.localeCompare(b.id))
  }

  async finishTask(t: TaskRow, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE _flow_tasks SET state = $2, decision = $3, comment = $4, scores = $5::jsonb, vote = $6, data = $7::jsonb, done_at = $8, assignee_id = $9, remind_at = $10 WHERE id = $1`,
      [
        t.id,
        t.state,
        t.decision,
        t.comment,
        t.scores ? JSON.stringify(t.scores) : null,
        t.vote,
        t.data ? JSON.stringify(t.data) : null,
        now,
        t.assigneeId,
        t.remindAt
      ]
    )
  }

  /** Cancels what is still pending in the given steps (the step was decided or left). */
  async cancelPending(stepIds: string[], now: Date): Promise<void> {
    if (!stepIds.length) return
    await this.db.query(
      `UPDATE _flow_tasks SET state = 'cancelled', done_at = $2 WHERE step_id = ANY($1::text[]) AND state = 'pending'`,
      [stepIds, now]
    )
  }

  async insertComment(
    c: {
      instanceId: string
      taskId: string | null
      nodeId: string | null
      authorId: string
      text: string
      attachments: string[]
    },
    now: Date
  ): Promise<Doc> {
    const { rows } = await this.db.query(
      `INSERT INTO _flow_comments (id, instance_id, task_id, node_id, author_id, text, attachments, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING *`,
      [newId(), c.instanceId, c.taskId, c.nodeId, c.authorId, c.text, JSON.stringify(c.attachments), now]
    )
    return toComment(rows[0])
  }

  async comments(instanceId: string): Promise<Doc[]> {
    const { rows } = await this.db.query('SELECT * FROM _flow_comments WHERE instance_id = $1 ORDER BY id', [
      instanceId
    ])
    return rows.map(toComment)
  }

  /** Display names of users (the timeline, the conversation); unknown ids are left out. */
  async people(ids: Array<string | null | undefined>): Promise<Record<string, string>> {
    const list = [...new Set(ids.filter((x): x is string => !!x))]
    if (!list.length) return {}
    const { rows } = await this.db.query<{ id: string; name: string | null }>(
      `SELECT id, COALESCE(doc->>'name', doc->>'username') AS name FROM c_users WHERE id = ANY($1::text[])`,
      [list]
    )
    return Object.fromEntries(rows.map((r) => [r.id, r.name ?? r.id]))
  }

  /** Name, size and type of the conversation's files (read access goes through FileAccess). */
  async fileInfo(ids: string[]): Promise<Record<string, Doc>> {
    if (!ids.length) return {}
    const { rows } = await this.db.query(
      `SELECT id, sha256, name, size, mime, has_thumbnail FROM _files WHERE id = ANY($1::text[]) AND deleted_at IS NULL`,
      [[...new Set(ids)]]
    )
    return Object.fromEntries(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          sha256: r.sha256,
          name: r.name,
          size: Number(r.size),
          mime: r.mime,
          hasThumbnail: r.has_thumbnail
        }
      ])
    )
  }

  /** The users each of these instances waits for (pending work, copies left out). */
  async pendingAssignees(instanceIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>()
    if (!instanceIds.length) return out
    const { rows } = await this.db.query<{ i: string; u: string }>(
      `SELECT instance_id AS i, assignee_id AS u FROM _flow_tasks WHERE instance_id = ANY($1::text[]) AND state = 'pending' AND kind <> 'cc' ORDER BY id`,
      [instanceIds]
    )
    for (const r of rows) out.set(r.i, [...(out.get(r.i) ?? []), r.u])
    return out
  }

  /** Everyone who should hear that the instance changed: its starter and every assignee. */
  async audience(instanceId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ u: string }>(
      `SELECT started_by AS u FROM _flow_instances WHERE id = $1 UNION SELECT DISTINCT assignee_id FROM _flow_tasks WHERE instance_id = $1`,
      [instanceId]
    )
    return rows.map((r) => r.u)
  }

  /** Whether the user has (or had) any task on the instance: a participant. */
  async participates(instanceId: string, userId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'SELECT 1 FROM _flow_tasks WHERE instance_id = $1 AND assignee_id = $2 LIMIT 1',
      [instanceId, userId]
    )
    return rows.length > 0
  }
}

export function toComment(r: Doc): Doc {
  return {
    id: r.id,
    instanceId: r.instance_id,
    taskId: r.task_id,
    nodeId: r.node_id,
    authorId: r.author_id,
    text: r.text,
    attachments: json<string[]>(r.attachments) ?? [],
    createdAt: iso(r.created_at)
  }
}
