import { BadRequest, Conflict, Forbidden, NotFound } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { Db, JobQueue } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import type { Logger } from '../logger.js'
import type { PluginRegistry } from '../plugins/loader.js'
import { newId } from '../storage/ids.js'
import { FlowActions } from './actions.js'
import type { AssigneeResolver } from './assignees.js'
import type { FlowCatalog, PublishedFlow } from './catalog.js'
import { notices } from './notices.js'
import { recordStateOf, type FlowRuntime } from './runtime.js'
import type { FlowStore } from './store.js'
import type { ActInput, ActorRef, Doc, Effects, FlowTx, InstanceRow, TaskRow } from './types.js'

export interface EngineDeps {
  app: Application
  db: Db
  store: FlowStore
  catalog: FlowCatalog
  runtime: FlowRuntime
  resolver: AssigneeResolver
  registry: PluginRegistry
  audit: AuditLog
  logger: Logger
  jobs?: JobQueue
  /** Told after each commit which instance changed (live updates of inboxes and pages). */
  onChanged?: (instanceId: string) => void
}

/** Files of the review conversation carry this in `_files.collection` (see files/access.ts owners). */
export const FLOW_FILES = '_flow_instances'

/** What a transaction works on: an instance, the instance of a task, or a new instance being created. */
type Target =
  { instanceId: string } | { taskId: string } | (() => Promise<{ instance: InstanceRow; record?: Doc }>)

const TASK_ACTIONS = [
  'approve',
  'reject',
  'return',
  'transfer',
  'add_signer',
  'score',
  'submit',
  'comment'
] as const
const MAX_ATTACHMENTS = 20

function checkText(v: unknown, field: string, max: number, required = false): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (required)
      throw new BadRequest(`请填写${field === 'text' ? '意见' : field} (${field} is required)`, {
        errors: [{ field, reason: 'required' }]
      })
    return undefined
  }
  if (typeof v !== 'string' || v.length > max)
    throw new BadRequest(`${field} 应为不超过${max}字的文本 (${field}: text of at most ${max} characters)`, {
      errors: [{ field, reason: `text ≤ ${max}` }]
    })
  return v
}

/**
 * The flow engine: starts instances and applies actions. Each call is one transaction that
 * first locks the instance row (`FOR UPDATE`) and then re-reads the task, so double clicks
 * and concurrent approvers serialize and the late ones get a clear 409. Notifications and
 * jobs go out only after the commit.
 */
export class FlowEngine {
  readonly actions: FlowActions

  constructor(readonly d: EngineDeps) {
    this.actions = new FlowActions(d)
  }

  /** Runs `fn` on the locked instance, then syncs its active steps, the record's state and the audit trail. */
  async run<T>(
    target: Target,
    by: ActorRef,
    now: Date,
    fn: (tx: FlowTx) => Promise<T>,
    extra: Partial<FlowTx> = {}
  ): Promise<T> {
    const effects: Effects = { notifications: [], jobs: [] }
    let changed: string | undefined
    const result = await this.d.db.transaction(async () => {
      const opened = await this.#open(target)
      const instance = opened.instance
      changed = instance.id
      const { def, graph } = await this.d.catalog.at(instance.flowKey, instance.version)
      let loaded = opened.record
      const record = async () => (loaded ??= await this.record(instance))
      // The state column holds what the engine last wrote, derived from the instance as locked.
      const recordState = opened.record ? ((opened.record.state as string) ?? null) : recordStateOf(instance)
      const tx: FlowTx = {
        instance,
        def,
        graph,
        by,
        now,
        record,
        audits: [],
        effects,
        recordState,
        hops: 0,
        ...extra
      }
      const out = await fn(tx)
      await this.d.runtime.sync(tx)
      // Last, so the audit chain's head lock is held only until the commit that follows.
      await this.d.audit.append(tx.audits)
      return out
    })
    await this.flush(effects)
    if (changed) this.d.onChanged?.(changed)
    return result
  }

  /** Locks the instance row (by its id, or by one of its tasks) before anything of it is read. */
  async #open(target: Target): Promise<{ instance: InstanceRow; record?: Doc }> {
    if (typeof target === 'function') return target()
    const byTask = 'taskId' in target
    const instance = byTask
      ? await this.d.store.lockInstanceOfTask(target.taskId)
      : await this.d.store.lockInstance(target.instanceId)
    if (!instance)
      throw new NotFound(byTask ? '待办不存在 (no such task)' : '流程实例不存在 (no such flow instance)')
    return { instance }
  }

  /** The record an instance runs on, as stored (conditions and `field` rules read it). */
  async record(instance: InstanceRow): Promise<Doc> {
    const path = this.d.registry.collections.get(instance.collection)?.path
    if (!path) throw new NotFound(`数据集「${instance.collection}」未安装 (collection not installed)`)
    // A record moved to the recycle bin meanwhile still lets its flow be closed.
    return (await this.d.app.service(path).get(instance.recordId, { deleted: 'include' } as Params)) as Doc
  }

  async flush(effects: Effects): Promise<void> {
    for (const n of effects.notifications) {
      await this.d.app
        .service('notifications')
        .create(n)
        .catch((error: unknown) => this.d.logger.warn({ err: error }, 'flow notification failed'))
    }
    for (const j of effects.jobs) {
      await this.d.jobs
        ?.enqueue(j.name, j.data, { startAfter: j.startAfter })
        .catch((error: unknown) => this.d.logger.warn({ err: error }, 'flow job not queued'))
    }
  }

  /** Binds a new instance of the flow's newest version to the record and opens its first steps. */
  async start(flow: PublishedFlow, recordId: string, by: ActorRef, now = new Date()): Promise<InstanceRow> {
    await this.d.catalog.pin(flow)
    const { def, version } = flow
    const create = async () => {
      const running = await this.d.db.query(
        'SELECT id FROM _flow_instances WHERE collection = $1 AND record_id = $2 AND flow_key = $3 AND state = $4',
        [def.collection, recordId, def.key, 'running']
      )
      if (running.rowCount)
        throw new Conflict('该记录已有进行中的同一流程 (this record already has this flow running)', {
          instanceId: running.rows[0].id
        })
      const record = await this.record({ collection: def.collection, recordId } as InstanceRow)
      if (record.deletedAt) throw new NotFound('记录已删除 (the record is in the recycle bin)')
      const deptId = (record.deptId as string | null) ?? by.actor?.deptId ?? null
      const instance = await this.d.store.insertInstance(
        {
          id: newId(),
          flowKey: def.key,
          version,
          collection: def.collection,
          recordId,
          deptId,
          startedBy: by.id!
        },
        now
      )
      return { instance, record }
    }
    return this.run(create, by, now, async (tx) => {
      const start = tx.graph.start
      const step = await this.d.store.insertStep(
        {
          instanceId: tx.instance.id,
          nodeId: start.id,
          state: 'done',
          decision: 'approved',
          prevStepId: null
        },
        now
      )
      await this.d.store.insertTasks(step, [{ assigneeId: by.id!, kind: 'start', state: 'done' }], now)
      tx.audits.push({
        action: 'flow',
        collection: def.collection,
        recordId,
        actor: { id: by.id, name: by.name },
        diff: { instance: tx.instance.id, node: start.id, action: 'start', decision: null, version }
      })
      await this.d.runtime.follow(tx, start.id, 'approved', step.id)
      return tx.instance
    }).catch((error: { code?: string }) => {
      // Two starts racing past the check: the unique index keeps one.
      if (error?.code === '23505')
        throw new Conflict('该记录已有进行中的同一流程 (this record already has this flow running)')
      throw error
    })
  }

  /** Applies a task action (or withdraw / comment on an instance); answers the instance and the task after it. */
  async act(
    input: ActInput,
    by: ActorRef,
    now = new Date()
  ): Promise<{ instance: InstanceRow; task: TaskRow | null }> {
    if (!input || typeof input !== 'object') throw new BadRequest('请求内容不正确 (invalid body)')
    const comment = checkText(input.comment, 'comment', 4000)
    const attachments = this.#attachments(input.attachments)
    await this.#checkFiles(attachments, by)
    const body: ActInput = { ...input, comment, attachments }
    if (input.action === 'withdraw')
      return { instance: await this.withdraw(String(input.instanceId ?? ''), by, now), task: null }
    if (!TASK_ACTIONS.includes(input.action as (typeof TASK_ACTIONS)[number]))
      throw new BadRequest(`未知操作「${input.action}」(unknown action)`, {
        errors: [{ field: 'action', reason: `one of ${[...TASK_ACTIONS, 'withdraw'].join(', ')}` }]
      })
    if (input.action === 'comment' && !input.taskId) {
      const instance = await this.run({ instanceId: String(input.instanceId ?? '') }, by, now, async (tx) => {
        await this.#comment(tx, null, body, by)
        await this.#claimFiles(tx, attachments)
        return tx.instance
      })
      return { instance, task: null }
    }
    if (typeof input.taskId !== 'string' || !input.taskId)
      throw new BadRequest('缺少 taskId (taskId is required)', {
        errors: [{ field: 'taskId', reason: 'required' }]
      })
    const taskId = input.taskId
    return this.run(
      { taskId },
      by,
      now,
      async (tx) => {
        // Read after the instance lock: whatever a concurrent action did to this task is visible now.
        const task = (await this.d.store.task(taskId))!
        this.#checkTask(tx, task, by, input.action)
        if (input.action === 'comment') await this.#comment(tx, task, body, by)
        else await this.#dispatch(tx, task, body)
        await this.#claimFiles(tx, attachments)
        return { instance: tx.instance, task }
      },
      {
        nextAssignees: Array.isArray(input.nextAssignees)
          ? input.nextAssignees.filter((x) => typeof x === 'string')
          : undefined
      }
    )
  }

  #checkTask(tx: FlowTx, task: TaskRow, by: ActorRef, action: string): void {
    if (task.assigneeId !== by.id) throw new Forbidden('这不是您的待办 (this task is not yours)')
    if (action === 'comment') return
    if (task.state === 'cancelled')
      throw new Conflict('该步骤已由他人处理 (this step was already decided by someone else)', {
        reason: 'decided',
        taskId: task.id
      })
    if (task.state !== 'pending')
      throw new Conflict('此待办已处理，请勿重复提交 (this task was already handled)', {
        reason: 'handled',
        taskId: task.id
      })
    if (tx.instance.state !== 'running')
      throw new Conflict('流程已结束 (the flow is no longer running)', { reason: 'ended' })
  }

  async #dispatch(tx: FlowTx, task: TaskRow, input: ActInput): Promise<void> {
    const a = this.actions
    switch (input.action) {
      case 'approve':
      case 'reject':
        return a.decide(tx, task, input, input.action)
      case 'score':
        return a.score(tx, task, input)
      case 'submit':
        return a.submit(tx, task, input)
      case 'return':
        return a.sendBack(tx, task, input)
      case 'transfer':
        return a.transfer(tx, task, input)
      case 'add_signer':
        return a.addSigner(tx, task, input)
    }
  }

  #attachments(v: unknown): string[] {
    if (v === undefined || v === null) return []
    if (
      !Array.isArray(v) ||
      v.length > MAX_ATTACHMENTS ||
      v.some((x) => typeof x !== 'string' || !x || x.length > 64)
    ) {
      throw new BadRequest(
        `附件应为不超过${MAX_ATTACHMENTS}个文件编号 (attachments: up to ${MAX_ATTACHMENTS} file ids)`,
        { errors: [{ field: 'attachments', reason: 'file ids' }] }
      )
    }
    return [...new Set(v as string[])]
  }

  async #comment(
    tx: FlowTx,
    task: TaskRow | null,
    input: { text?: string; comment?: string; attachments?: string[] },
    by: ActorRef
  ): Promise<Doc> {
    const text = checkText(input.text ?? input.comment, 'text', 4000, true)!
    const saved = await this.d.store.insertComment(
      {
        instanceId: tx.instance.id,
        taskId: task?.id ?? null,
        nodeId: task?.nodeId ?? null,
        authorId: by.id!,
        text,
        attachments: input.attachments ?? []
      },
      tx.now
    )
    tx.audits.push({
      action: 'flow',
      collection: tx.instance.collection,
      recordId: tx.instance.recordId,
      actor: { id: by.id, name: by.name },
      diff: {
        instance: tx.instance.id,
        node: task?.nodeId ?? null,
        action: 'comment',
        decision: null,
        comment: saved.id
      }
    })
    const open = (await this.d.store.tasksOfInstance(tx.instance.id))
      .filter((t) => t.state === 'pending')
      .map((t) => t.assigneeId)
    const to = [...new Set([tx.instance.startedBy, ...open])].filter((u) => u !== by.id)
    if (to.length) tx.effects.notifications.push(notices.comment(tx, to, by.name))
    return saved
  }

  #filesTable?: Promise<boolean>
  /** Whether the files module's table exists (the engine runs without it in some set-ups). */
  #hasFiles(): Promise<boolean> {
    return (this.#filesTable ??= this.d.db
      .query<{ t: string | null }>(`SELECT to_regclass('_files')::text AS t`)
      .then((r) => !!r.rows[0]?.t))
  }

  /**
   * Attachments must be the commenter's own uploads not attached to anything yet: a file of
   * a record must not be moved away from its record's rights into the conversation.
   */
  async #checkFiles(ids: string[], by: ActorRef): Promise<void> {
    if (!ids.length || !(await this.#hasFiles())) return
    const { rows } = await this.d.db.query<{ id: string }>(
      'SELECT id FROM _files WHERE id = ANY($1::text[]) AND deleted_at IS NULL AND created_by = $2 AND collection IS NULL',
      [ids, by.id]
    )
    const missing = ids.filter((id) => !rows.some((r) => r.id === id))
    if (missing.length)
      throw new BadRequest('附件不存在或不是您上传的 (an attachment is unknown or not yours)', {
        errors: [{ field: 'attachments', reason: missing.join(',') }]
      })
  }

  /**
   * In the action's transaction, the attachments become the instance's files: from then on
   * whoever may see the instance may read them (FileAccess asks the flow engine), not only the
   * uploader. A file claimed meanwhile by another call makes the action fail whole.
   */
  async #claimFiles(tx: FlowTx, ids: string[] | undefined): Promise<void> {
    if (!ids?.length || !(await this.#hasFiles())) return
    const { rowCount } = await this.d.db.query(
      `UPDATE _files SET collection = $3, record_id = $2, field = 'comments' WHERE id = ANY($1::text[]) AND collection IS NULL AND created_by = $4`,
      [ids, tx.instance.id, FLOW_FILES, tx.by.id]
    )
    if (rowCount !== ids.length)
      throw new BadRequest('附件不存在或不是您上传的 (an attachment is unknown or not yours)', {
        errors: [{ field: 'attachments', reason: 'already attached' }]
      })
  }

  /** A comment in the review conversation, by anyone who may see the instance (checked by the caller). */
  async comment(
    instanceId: string,
    input: { text?: unknown; attachments?: unknown },
    by: ActorRef,
    now = new Date()
  ): Promise<Doc> {
    const body = {
      text: checkText(input.text, 'text', 4000, true),
      attachments: this.#attachments(input.attachments)
    }
    await this.#checkFiles(body.attachments, by)
    return this.run({ instanceId }, by, now, async (tx) => {
      const saved = await this.#comment(tx, null, body, by)
      await this.#claimFiles(tx, body.attachments)
      return saved
    })
  }

  /** The starter takes the application back: while nobody has acted, or as the flow's `withdraw` setting allows. */
  async withdraw(instanceId: string, by: ActorRef, now = new Date()): Promise<InstanceRow> {
    return this.run({ instanceId }, by, now, async (tx) => {
      if (tx.instance.startedBy !== by.id)
        throw new Forbidden('只有发起人可以撤回 (only the starter may withdraw)')
      if (tx.instance.state !== 'running') throw new Conflict('流程已结束 (the flow is no longer running)')
      const policy = tx.def.withdraw ?? 'before_action'
      const acted = (await this.d.store.tasksOfInstance(tx.instance.id)).some(
        (t) => t.kind !== 'start' && t.kind !== 'cc' && t.state === 'done'
      )
      if (policy === 'never' || (policy === 'before_action' && acted))
        throw new Conflict(
          '已有人处理，不能撤回 (someone has already acted; the application cannot be withdrawn)'
        )
      await this.d.runtime.finish(tx, 'withdrawn', 'withdrawn')
      tx.audits.push({
        action: 'flow',
        collection: tx.instance.collection,
        recordId: tx.instance.recordId,
        actor: { id: by.id, name: by.name },
        diff: { instance: tx.instance.id, node: null, action: 'withdraw', decision: 'withdrawn' }
      })
      return tx.instance
    })
  }
}
