import type { Db, JobQueue } from '@medaffairs/plugin-sdk'
import type { Logger } from '../logger.js'
import type { FlowEngine } from './engine.js'
import { notices } from './notices.js'
import type { FlowStore } from './store.js'
import type { ActorRef, FlowTx, StepRow, TaskRow } from './types.js'

const SYSTEM: ActorRef = { id: null, name: 'system' }
const HOUR = 3_600_000

export interface SweepReport {
  reminded: number
  escalated: number
  deadlines: number
  repeated: number
  failed: number
}

/**
 * Time in flows: reminders, escalation, deadlines, and repeating fill-in steps. A sweep
 * finds what is due at `now` through small partial indexes and handles each instance in
 * its own locked transaction, re-checking under the lock, so concurrent sweeps (several
 * workers) and users acting at the same moment never double anything.
 */
export class FlowTimers {
  constructor(
    private readonly db: Db,
    private readonly store: FlowStore,
    private readonly engine: FlowEngine,
    private readonly logger: Logger
  ) {}

  async sweep(now = new Date()): Promise<SweepReport> {
    const report: SweepReport = { reminded: 0, escalated: 0, deadlines: 0, repeated: 0, failed: 0 }
    const due = async (sql: string) =>
      (await this.db.query<{ id: string; instance_id: string }>(sql, [now])).rows
    const each = async (
      rows: Array<{ id: string; instance_id: string }>,
      key: keyof SweepReport,
      fn: (tx: FlowTx, id: string) => Promise<boolean>
    ) => {
      for (const r of rows) {
        try {
          if (
            await this.engine.run(
              { instanceId: r.instance_id },
              SYSTEM,
              now,
              async (tx) => tx.instance.state === 'running' && fn(tx, r.id)
            )
          )
            report[key]++
        } catch (error) {
          report.failed++
          this.logger.warn({ err: error, id: r.id }, `flow timer ${key} failed`)
        }
      }
    }
    await each(
      await due(
        `SELECT id, instance_id FROM _flow_tasks WHERE state = 'pending' AND remind_at <= $1 ORDER BY remind_at LIMIT 1000`
      ),
      'reminded',
      (tx, id) => this.#remind(tx, id)
    )
    await each(
      await due(
        `SELECT id, instance_id FROM _flow_steps WHERE state = 'active' AND escalate_at <= $1 ORDER BY escalate_at LIMIT 1000`
      ),
      'escalated',
      (tx, id) => this.#escalateStep(tx, id)
    )
    await each(
      await due(
        `SELECT id, instance_id FROM _flow_steps WHERE state = 'active' AND due_at <= $1 ORDER BY due_at LIMIT 1000`
      ),
      'deadlines',
      (tx, id) => this.#deadline(tx, id)
    )
    await each(
      await due(
        `SELECT id, instance_id FROM _flow_steps WHERE state = 'active' AND repeat_at <= $1 ORDER BY repeat_at LIMIT 1000`
      ),
      'repeated',
      (tx, id) => this.#repeat(tx, id)
    )
    return report
  }

  async #open(id: string): Promise<StepRow | null> {
    const step = await this.store.step(id)
    return step && step.state === 'active' ? step : null
  }

  /** Reminds the assignee again every `remindAfterHours` while the task waits. */
  async #remind(tx: FlowTx, taskId: string): Promise<boolean> {
    const task = await this.store.task(taskId)
    if (!task || task.state !== 'pending' || !task.remindAt || new Date(task.remindAt) > tx.now) return false
    const hours = tx.graph.node(task.nodeId).timers?.remindAfterHours
    task.remindAt = hours ? new Date(tx.now.getTime() + hours * HOUR).toISOString() : null
    await this.db.query('UPDATE _flow_tasks SET remind_at = $2 WHERE id = $1', [task.id, task.remindAt])
    tx.effects.notifications.push(notices.reminder(tx, task))
    return true
  }

  async #escalateStep(tx: FlowTx, stepId: string): Promise<boolean> {
    const step = await this.#open(stepId)
    if (!step?.escalateAt || new Date(step.escalateAt) > tx.now) return false
    return this.#escalate(tx, step)
  }

  /** Adds the `escalateTo` assignees to the step (once) and tells them. */
  async #escalate(tx: FlowTx, step: StepRow): Promise<boolean> {
    step.escalateAt = null
    await this.store.updateStep(step)
    const rule = tx.graph.node(step.nodeId).timers?.escalateTo
    if (!rule || step.data.escalated) return false
    const already = new Set(
      (await this.store.tasksOfStep(step.id)).filter((t) => t.state === 'pending').map((t) => t.assigneeId)
    )
    const ctx = {
      applicantId: tx.instance.startedBy,
      deptId: tx.instance.deptId,
      record: rule.kind === 'field' ? await tx.record() : {}
    }
    const users = (await this.engine.d.resolver.resolve(rule, ctx)).filter((u) => !already.has(u))
    step.data = { ...step.data, escalated: true }
    await this.store.updateStep(step)
    await this.engine.d.runtime.addTasks(tx, step, users, null, 'flow.escalated')
    this.#audit(tx, step, 'escalate', users.join(','))
    return true
  }

  /** The deadline: a scoring round closes with the sheets it has; other steps follow `onDeadline`. */
  async #deadline(tx: FlowTx, stepId: string): Promise<boolean> {
    const step = await this.#open(stepId)
    if (!step?.dueAt || new Date(step.dueAt) > tx.now) return false
    const node = tx.graph.node(step.nodeId)
    const tasks = await this.store.tasksOfStep(step.id)
    if (node.type === 'score') {
      this.#audit(tx, step, 'deadline', null)
      await this.engine.actions.closeRound(tx, step, node, tasks)
      return true
    }
    const rule = node.timers?.onDeadline
    if (rule === 'approve' || rule === 'reject') {
      this.#audit(tx, step, 'deadline', rule === 'approve' ? 'approved' : 'rejected')
      await this.engine.d.runtime.leave(tx, step, rule === 'approve' ? 'approved' : 'rejected')
      return true
    }
    step.dueAt = null
    await this.store.updateStep(step)
    return rule === 'escalate' ? this.#escalate(tx, step) : false
  }

  /** The next report of a repeating fill-in step, to the same assignees as before. */
  async #repeat(tx: FlowTx, stepId: string): Promise<boolean> {
    const step = await this.#open(stepId)
    if (!step?.repeatAt || new Date(step.repeatAt) > tx.now) return false
    const tasks = await this.store.tasksOfStep(step.id)
    const users = [
      ...new Set(
        tasks
          .filter((t: TaskRow) => t.state !== 'cancelled' && t.decision !== 'transfer')
          .map((t) => t.assigneeId)
      )
    ]
    step.repeatAt = null
    await this.store.updateStep(step)
    await this.engine.d.runtime.addTasks(tx, step, users, null)
    this.#audit(tx, step, 'repeat', null)
    return true
  }

  #audit(tx: FlowTx, step: StepRow, action: string, decision: string | null): void {
    tx.audits.push({
      action: 'flow',
      collection: tx.instance.collection,
      recordId: tx.instance.recordId,
      actor: { id: null, name: 'system' },
      diff: { instance: tx.instance.id, node: step.nodeId, action, decision }
    })
  }

  /** One notification per user with pending tasks: the daily digest. */
  async digest(): Promise<number> {
    const { rows } = await this.db.query<{ assignee_id: string; n: number }>(
      `SELECT assignee_id, count(*)::int AS n FROM _flow_tasks WHERE state = 'pending' AND kind <> 'cc' GROUP BY assignee_id`
    )
    await this.engine.flush({
      notifications: rows.map((r) => notices.digest(r.assignee_id, Number(r.n))),
      jobs: []
    })
    return rows.length
  }

  /** Registers the jobs and their schedules on the durable queue. */
  async schedule(
    jobs: JobQueue,
    opts: { remindEveryMinutes?: number; digestCron?: string } = {}
  ): Promise<void> {
    const every = Math.max(1, Math.min(59, opts.remindEveryMinutes ?? 5))
    await jobs.register('flows.remind', async () => this.sweep(new Date()))
    await jobs.register('flows.repeat', async () => this.sweep(new Date()))
    await jobs.register('flows.digest', async () => ({ users: await this.digest() }))
    await jobs.schedule('flows.remind', `*/${every} * * * *`, {}, { singletonKey: 'flows.remind' })
    await jobs.schedule('flows.digest', opts.digestCron ?? '0 8 * * *', {}, { singletonKey: 'flows.digest' })
  }
}
