import { BadRequest, Conflict } from '@feathersjs/errors'
import type { Application } from '@feathersjs/feathers'
import type { ApprovalMode, FlowNode } from '@medaffairs/plugin-sdk'
import type { PluginRegistry } from '../plugins/loader.js'
import type { AssigneeResolver } from './assignees.js'
import type { FlowRuntime } from './runtime.js'
import { checkRemarks, checkScores, scoreRound } from './scoring.js'
import type { FlowStore } from './store.js'
import type { ActInput, FlowTx, StepDecision, StepRow, TaskRow } from './types.js'

const WORK = new Set(['approve', 'score', 'fill', 'start'])
const addMonths = (d: Date, n: number) => {
  const out = new Date(d)
  out.setUTCMonth(out.getUTCMonth() + n)
  return out
}

/** The step's decision under its mode, or null while it is still open. */
export function decide(
  mode: ApprovalMode | undefined,
  threshold: number | undefined,
  tasks: TaskRow[]
): StepDecision | null {
  const votes = tasks.filter(
    (t) => t.kind !== 'cc' && (t.state === 'pending' || t.decision === 'approve' || t.decision === 'reject')
  )
  const yes = votes.filter((t) => t.decision === 'approve').length
  const no = votes.filter((t) => t.decision === 'reject').length
  const pending = votes.filter((t) => t.state === 'pending').length
  if (mode === 'all') return no ? 'rejected' : pending ? null : 'approved'
  if (mode === 'vote') {
    const need = threshold ?? 1
    if (yes / votes.length >= need) return 'approved'
    return (yes + pending) / votes.length < need ? 'rejected' : null
  }
  // single and any: the first decision is the step's decision.
  return yes ? 'approved' : no ? 'rejected' : null
}

export interface ActionDeps {
  app: Application
  store: FlowStore
  runtime: FlowRuntime
  resolver: AssigneeResolver
  registry: PluginRegistry
}

function expectKind(task: TaskRow, kinds: string[], action: string): void {
  if (!kinds.includes(task.kind))
    throw new BadRequest(`此待办不能执行「${action}」(a ${task.kind} task cannot ${action})`, {
      errors: [{ field: 'action', reason: `not allowed on ${task.kind}` }]
    })
}

function recordOn(tx: FlowTx, task: TaskRow, action: string, decision: string | null = null): void {
  tx.audits.push({
    action: 'flow',
    collection: tx.instance.collection,
    recordId: tx.instance.recordId,
    actor: { id: tx.by.id, name: tx.by.name },
    diff: { instance: tx.instance.id, node: task.nodeId, action, decision, task: task.id }
  })
}

/** The handlers of the task actions; each runs inside the instance's transaction with the task checked pending. */
export class FlowActions {
  constructor(private readonly d: ActionDeps) {}

  async #finishTask(
    tx: FlowTx,
    task: TaskRow,
    decision: TaskRow['decision'],
    input: ActInput,
    extra: Partial<TaskRow> = {}
  ): Promise<void> {
    const data = input.attachments?.length
      ? { ...(task.data ?? {}), attachments: input.attachments }
      : task.data
    Object.assign(task, {
      state: 'done',
      decision,
      comment: input.comment ?? null,
      data,
      remindAt: null,
      ...extra
    })
    await this.d.store.finishTask(task, tx.now)
  }

  async #step(task: TaskRow): Promise<StepRow> {
    const step = await this.d.store.step(task.stepId)
    if (!step || step.state !== 'active') throw new Conflict('该步骤已结束 (this step is over)')
    return step
  }

  async decide(tx: FlowTx, task: TaskRow, input: ActInput, action: 'approve' | 'reject'): Promise<void> {
    expectKind(task, action === 'approve' ? ['approve', 'start'] : ['approve'], action)
    await this.#finishTask(tx, task, action, input)
    recordOn(tx, task, action, action === 'approve' ? 'approved' : 'rejected')
    const step = await this.#step(task)
    const node = tx.graph.node(task.nodeId)
    const tasks = task.kind === 'start' ? [task] : await this.d.store.tasksOfStep(step.id)
    const decision = task.kind === 'start' ? 'approved' : decide(node.mode, node.threshold, tasks)
    if (decision)
      await this.d.runtime.leave(
        tx,
        step,
        decision,
        tasks.some((t) => t.state === 'pending')
      )
  }

  async score(tx: FlowTx, task: TaskRow, input: ActInput): Promise<void> {
    expectKind(task, ['score'], 'score')
    const node = tx.graph.node(task.nodeId)
    const sheet = node.scoring!
    const scores = checkScores(sheet, input.scores)
    const remarks = checkRemarks(sheet, input.remarks)
    if (sheet.pass.kind === 'votes' && input.vote !== 'pass' && input.vote !== 'fail')
      throw new BadRequest('请投票：通过或不通过 (vote pass or fail)', {
        errors: [{ field: 'vote', reason: 'pass or fail' }]
      })
    const data = remarks
      ? {
          ...(task.data ?? {}),
          ...(input.attachments?.length ? { attachments: input.attachments } : {}),
          remarks
        }
      : undefined
    await this.#finishTask(tx, task, 'score', input, {
      scores,
      vote: input.vote ?? null,
      ...(data ? { data } : {})
    })
    recordOn(tx, task, 'score')
    const step = await this.#step(task)
    const tasks = await this.d.store.tasksOfStep(step.id)
    if (!tasks.some((t) => t.state === 'pending')) await this.closeRound(tx, step, node, tasks)
  }

  /** Closes a scoring round (everyone scored, or the deadline passed): aggregate, then pass or fail. */
  async closeRound(tx: FlowTx, step: StepRow, node: FlowNode, tasks: TaskRow[]): Promise<void> {
    const result = scoreRound(node.scoring!, tasks)
    step.data = { ...step.data, result }
    tx.audits.push({
      action: 'flow',
      collection: tx.instance.collection,
      recordId: tx.instance.recordId,
      actor: { id: tx.by.id, name: tx.by.name },
      diff: {
        instance: tx.instance.id,
        node: node.id,
        action: 'close_round',
        decision: result.passed ? 'passed' : 'failed',
        aggregate: result.aggregate
      }
    })
    await this.d.runtime.leave(tx, step, result.passed ? 'passed' : 'failed')
  }

  async submit(tx: FlowTx, task: TaskRow, input: ActInput): Promise<void> {
    expectKind(task, ['fill'], 'submit')
    const node = tx.graph.node(task.nodeId)
    if (!input.data || typeof input.data !== 'object' || Array.isArray(input.data))
      throw new BadRequest('请填写表单 (data is required)', {
        errors: [{ field: 'data', reason: 'an object' }]
      })
    const path = this.d.registry.collections.get(node.form!)?.path
    if (!path) throw new BadRequest(`表单「${node.form}」不存在 (unknown form collection)`)
    const by = tx.by.actor
    const saved = (await this.d.app.service(path).create(
      {
        ...input.data,
        flowInstanceId: tx.instance.id,
        flowTaskId: task.id,
        flowRecordId: tx.instance.recordId,
        ownerId: tx.by.id,
        deptId: tx.instance.deptId
      },
      { actor: by, user: { id: tx.by.id } } as any
    )) as { id: string }
    await this.#finishTask(tx, task, 'submit', input, { data: { formId: saved.id, collection: node.form } })
    recordOn(tx, task, 'submit')
    const step = await this.#step(task)
    if (node.everyMonths && !input.final) {
      // A tracking report: the step stays open and the next report is asked for N months later.
      step.repeatAt = addMonths(tx.now, node.everyMonths).toISOString()
      await this.d.store.updateStep(step)
      tx.effects.jobs.push({
        name: 'flows.repeat',
        data: { stepId: step.id },
        startAfter: new Date(step.repeatAt)
      })
      return
    }
    await this.d.runtime.leave(tx, step, 'approved')
  }

  /** Back to an earlier step (chosen, else the one before); its tasks are made anew. */
  async sendBack(tx: FlowTx, task: TaskRow, input: ActInput): Promise<void> {
    expectKind(task, ['approve', 'score', 'fill'], 'return')
    const step = await this.#step(task)
    const history = await this.d.store.steps(tx.instance.id)
    const target = input.returnTo
      ? history
          .filter(
            (s) => s.nodeId === input.returnTo && s.state === 'done' && WORK.has(tx.graph.node(s.nodeId).type)
          )
          .pop()
      : history.find((s) => s.id === step.prevStepId)
    // Only back along the way that led here (not into another parallel branch).
    const upstream =
      target && target.nodeId !== step.nodeId && tx.graph.reachable(target.nodeId).has(step.nodeId)
    if (!target || !upstream)
      throw new BadRequest('只能退回到已经过的步骤 (return only to a step already passed)', {
        errors: [{ field: 'returnTo', reason: 'not an earlier step' }]
      })
    await this.#finishTask(tx, task, 'return', input)
    recordOn(tx, task, 'return', `returned:${target.nodeId}`)
    await this.d.runtime.cancelDownstream(tx, target.nodeId, step)
    await this.d.runtime.enter(tx, target.nodeId, target.prevStepId, null)
  }

  async transfer(tx: FlowTx, task: TaskRow, input: ActInput): Promise<void> {
    expectKind(task, ['approve', 'score', 'fill'], 'transfer')
    const [to] = await this.#targets(tx, task, input, 1)
    const step = await this.#step(task)
    await this.#finishTask(tx, task, 'transfer', input, { data: { ...(task.data ?? {}), to } })
    recordOn(tx, task, 'transfer', to)
    await this.d.runtime.addTasks(tx, step, [to], tx.by.id)
  }

  async addSigner(tx: FlowTx, task: TaskRow, input: ActInput): Promise<void> {
    expectKind(task, ['approve', 'score'], 'add_signer')
    const users = await this.#targets(tx, task, input, 20)
    const step = await this.#step(task)
    recordOn(tx, task, 'add_signer', users.join(','))
    await this.d.runtime.addTasks(tx, step, users, tx.by.id)
  }

  /** Users named in `to`: active, not the actor, not already pending in the step. */
  async #targets(tx: FlowTx, task: TaskRow, input: ActInput, max: number): Promise<string[]> {
    const wanted = [
      ...new Set(
        (Array.isArray(input.to) ? input.to : [input.to]).filter(
          (x): x is string => typeof x === 'string' && !!x
        )
      )
    ]
    if (!wanted.length || wanted.length > max)
      throw new BadRequest('请指定处理人 (to: the user to hand over to)', {
        errors: [{ field: 'to', reason: max === 1 ? 'one user id' : `1–${max} user ids` }]
      })
    const live = await this.d.resolver.active(wanted)
    const pending = new Set(
      (await this.d.store.tasksOfStep(task.stepId))
        .filter((t) => t.state === 'pending')
        .map((t) => t.assigneeId)
    )
    const bad = wanted.filter((u) => !live.includes(u) || u === tx.by.id || pending.has(u))
    if (bad.length)
      throw new BadRequest(
        '处理人不存在、已停用或已在此步骤中 (a user is unknown, disabled, or already on this step)',
        { errors: [{ field: 'to', reason: bad.join(',') }] }
      )
    return wanted
  }
}
