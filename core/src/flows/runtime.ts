import { BadRequest, Conflict, NotFound } from '@feathersjs/errors'
import type { Application } from '@feathersjs/feathers'
import type { AssigneeRule, FlowNode, InstanceState } from '@medaffairs/plugin-sdk'
import type { PluginRegistry } from '../plugins/loader.js'
import type { AssigneeResolver } from './assignees.js'
import { isPositive } from './graph.js'
import { notices } from './notices.js'
import type { FlowStore, NewTask } from './store.js'
import type { FlowTx, InstanceRow, StepDecision, StepRow, TaskKind, TaskRow } from './types.js'

const HOUR = 3_600_000
const TASK_NODES = new Set(['start', 'approve', 'score', 'fill'])
const MAX_HOPS = 200

const label = (n: FlowNode) => n.label?.['zh-CN'] ?? n.id
const later = (now: Date, hours: number | undefined) =>
  hours && hours > 0 ? new Date(now.getTime() + hours * HOUR) : null

/** The record's `state` column for an instance: where it is, or how it ended. */
export function recordStateOf(i: InstanceRow): string {
  if (i.state === 'running') return i.active.length ? `reviewing:${i.active.join(',')}` : 'reviewing'
  return i.outcome ?? i.state
}

/**
 * Walks an instance through its graph inside the caller's transaction: opens steps and
 * their tasks, follows edges after a decision, splits and joins branches, ends the flow.
 */
export class FlowRuntime {
  constructor(
    private readonly app: Application,
    private readonly store: FlowStore,
    private readonly resolver: AssigneeResolver,
    private readonly registry: PluginRegistry
  ) {}

  /** Enters a node. `prev` is the last task step on the way (where a return goes back to); `via` the node the edge came from. */
  async enter(tx: FlowTx, nodeId: string, prev: string | null, via: string | null): Promise<void> {
    if (tx.instance.state !== 'running') return
    if (++tx.hops > MAX_HOPS)
      throw new Conflict('流程在条件节点间循环，没有停在任何步骤 (the flow loops without reaching a step)')
    const node = tx.graph.node(nodeId)
    const now = tx.now
    switch (node.type) {
      case 'start':
      case 'approve':
      case 'score':
      case 'fill':
        await this.openTaskStep(tx, node, prev)
        return
      case 'end':
        await this.finish(tx, node.outcome ?? 'approved')
        return
      case 'join':
        await this.arrive(tx, node, prev, via)
        return
      case 'notify': {
        const users = await this.resolver.resolve(
          node.notify!.to,
          await this.#resolveContext(tx, node, node.notify!.to)
        )
        const step = await this.store.insertStep(
          { instanceId: tx.instance.id, nodeId, state: 'done', prevStepId: prev },
          now
        )
        await this.store.insertTasks(
          step,
          users.map((assigneeId) => ({ assigneeId, kind: 'cc' as const, state: 'done' as const })),
          now
        )
        if (users.length) tx.effects.notifications.push(notices.notify(tx, users, node.notify!.title))
        return this.follow(tx, nodeId, undefined, prev)
      }
      default: // condition, parallel: a passing step for the history, then onwards
        await this.store.insertStep(
          { instanceId: tx.instance.id, nodeId, state: 'done', prevStepId: prev },
          now
        )
        return this.follow(tx, nodeId, undefined, prev)
    }
  }

  /** Goes on from a node after its decision; a rejection with no edge of its own ends the flow as rejected. */
  async follow(tx: FlowTx, nodeId: string, decision: string | undefined, prev: string | null): Promise<void> {
    const edges = tx.graph.next(nodeId, decision, tx.graph.conditional(nodeId) ? await tx.record() : {})
    if (!edges.length) {
      if (decision && !isPositive(decision)) return this.finish(tx, 'rejected')
      throw new Conflict(
        `流程在「${label(tx.graph.node(nodeId))}」之后没有可走的分支 (no branch fits this record)`
      )
    }
    for (const e of edges) await this.enter(tx, e.to, prev, nodeId)
  }

  /** Closes a step with its decision, cancels its open tasks, and moves on. */
  async leave(tx: FlowTx, step: StepRow, decision: StepDecision, othersPending = true): Promise<void> {
    Object.assign(step, {
      state: 'done',
      decision,
      endedAt: tx.now.toISOString(),
      dueAt: null,
      escalateAt: null,
      repeatAt: null
    })
    await this.store.updateStep(step)
    if (othersPending) await this.store.cancelPending([step.id], tx.now)
    await this.follow(tx, step.nodeId, decision, step.id)
  }

  /** Who a node's tasks go to. The start node (reached again by a return) goes back to the applicant. */
  async assignees(tx: FlowTx, node: FlowNode): Promise<string[]> {
    if (node.type === 'start') return [tx.instance.startedBy]
    const users = await this.resolver.resolve(
      node.assignee!,
      await this.#resolveContext(tx, node, node.assignee!)
    )
    if (!users.length)
      throw new BadRequest(
        `步骤「${label(node)}」找不到处理人，请联系管理员 (nobody to assign step ${node.id} to)`,
        { nodeId: node.id }
      )
    return users
  }

  async openTaskStep(tx: FlowTx, node: FlowNode, prev: string | null): Promise<StepRow> {
    const chosen = node.assignee?.kind === 'chosen' ? await this.#chosen(tx, node) : undefined
    const users = await this.assignees(tx, {
      ...node,
      ...(chosen ? { assignee: { kind: 'users', userIds: chosen } } : {})
    })
    const t = node.timers ?? {}
    const step = await this.store.insertStep(
      {
        instanceId: tx.instance.id,
        nodeId: node.id,
        state: 'active',
        prevStepId: prev,
        data: chosen ? { chosen } : {},
        dueAt: later(tx.now, t.deadlineHours),
        escalateAt: later(tx.now, t.escalateAfterHours)
      },
      tx.now
    )
    await this.addTasks(tx, step, users, null)
    return step
  }

  /** New pending tasks in a step (opening, transfer, add signer, escalation, repeats), each announced. */
  async addTasks(
    tx: FlowTx,
    step: StepRow,
    users: string[],
    addedBy: string | null,
    kind = 'flow.assigned'
  ): Promise<TaskRow[]> {
    const node = tx.graph.node(step.nodeId)
    const t = node.timers ?? {}
    const taskKind: TaskKind = node.type === 'start' ? 'start' : (node.type as TaskKind)
    const rows: NewTask[] = users.map((assigneeId) => ({
      assigneeId,
      kind: taskKind,
      addedBy,
      dueAt: later(tx.now, t.deadlineHours),
      remindAt: later(tx.now, t.remindAfterHours)
    }))
    const tasks = await this.store.insertTasks(step, rows, tx.now)
    for (const task of tasks) tx.effects.notifications.push(notices.assigned(tx, task, kind))
    return tasks
  }

  /** The approver's choice for a `chosen` step, else (after a return) the choice made last time. */
  async #chosen(tx: FlowTx, node: FlowNode): Promise<string[] | undefined> {
    if (tx.nextAssignees?.length) {
      const live = await this.resolver.active(tx.nextAssignees)
      if (live.length !== new Set(tx.nextAssignees).size)
        throw new BadRequest('所选处理人不存在或已停用 (a chosen user does not exist or is disabled)', {
          errors: [{ field: 'nextAssignees', reason: 'unknown user' }]
        })
      return live
    }
    const before = (await this.store.steps(tx.instance.id))
      .filter((s) => s.nodeId === node.id && s.data.chosen?.length)
      .pop()
    return before?.data.chosen
  }

  async #resolveContext(tx: FlowTx, node: FlowNode, rule: AssigneeRule) {
    const excludeDept = node.scoring?.excludeOwnDepartment ? tx.instance.deptId : null
    const record = rule.kind === 'field' ? await tx.record() : {}
    return {
      applicantId: tx.instance.startedBy,
      deptId: tx.instance.deptId,
      record,
      chosen: tx.nextAssignees,
      excludeDept
    }
  }

  /**
   * A branch reaches a join; the join goes on once every incoming branch has arrived. A
   * branch that may never come (a condition took another way) is settled by `settleJoins`
   * once the whole action has run: in the middle of a split, a sibling branch may not have
   * been entered yet and would look dead.
   */
  async arrive(tx: FlowTx, node: FlowNode, prev: string | null, via: string | null): Promise<void> {
    const open = (await this.store.steps(tx.instance.id, true)).find(
      (s) => s.nodeId === node.id && s.state === 'waiting'
    )
    const step =
      open ??
      (await this.store.insertStep(
        {
          instanceId: tx.instance.id,
          nodeId: node.id,
          state: 'waiting',
          prevStepId: prev,
          data: { arrived: [] }
        },
        tx.now
      ))
    const arrived = new Set([...(step.data.arrived ?? []), ...(via ? [via] : [])])
    step.data = { ...step.data, arrived: [...arrived], lastPrev: prev }
    const complete = tx.graph.joinSources(node.id).every((id) => arrived.has(id))
    if (complete) Object.assign(step, { state: 'done', endedAt: tx.now.toISOString() })
    await this.store.updateStep(step)
    if (complete) await this.follow(tx, node.id, undefined, prev)
  }

  /**
   * Lets every waiting join go on whose missing branches can no longer arrive (no open step
   * reaches them). Repeats until nothing changes: a join that goes on may make another
   * one's missing branch unreachable.
   */
  async settleJoins(tx: FlowTx): Promise<void> {
    for (let moved = true; moved && tx.instance.state === 'running';) {
      moved = false
      const open = await this.store.steps(tx.instance.id, true)
      for (const step of open.filter(
        (s) => s.state === 'waiting' && tx.graph.node(s.nodeId).type === 'join'
      )) {
        const others = open.filter((s) => s.id !== step.id).map((s) => s.nodeId)
        if (tx.graph.liveSources(step.nodeId, new Set(step.data.arrived ?? []), others).length) continue
        Object.assign(step, { state: 'done', endedAt: tx.now.toISOString() })
        await this.store.updateStep(step)
        await this.follow(tx, step.nodeId, undefined, step.data.lastPrev ?? step.prevStepId)
        moved = true
        break
      }
    }
  }

  /**
   * A return to `target`: closes the returning step and cancels what the return starts over
   * (open steps reachable from the target; a waiting join only when every branch it waits
   * for starts over). A parallel branch the return does not reach keeps its progress.
   */
  async cancelDownstream(tx: FlowTx, target: string, current: StepRow): Promise<void> {
    const reach = tx.graph.reachable(target)
    const closed: string[] = []
    for (const s of await this.store.steps(tx.instance.id, true)) {
      const restart =
        s.state === 'waiting'
          ? tx.graph.joinSources(s.nodeId).every((n) => reach.has(n))
          : reach.has(s.nodeId)
      if (s.id !== current.id && !restart) continue
      Object.assign(s, {
        state: s.id === current.id ? 'done' : 'cancelled',
        decision: s.id === current.id ? 'returned' : 'cancelled',
        endedAt: tx.now.toISOString(),
        dueAt: null,
        escalateAt: null,
        repeatAt: null
      })
      await this.store.updateStep(s)
      closed.push(s.id)
    }
    await this.store.cancelPending(closed, tx.now)
  }

  /** Cancels every open step and pending task (a withdrawal, the end). */
  async cancelOpen(tx: FlowTx): Promise<StepRow[]> {
    const open = await this.store.steps(tx.instance.id, true)
    for (const s of open) {
      Object.assign(s, {
        state: 'cancelled',
        decision: 'cancelled',
        endedAt: tx.now.toISOString(),
        dueAt: null,
        escalateAt: null,
        repeatAt: null
      })
      await this.store.updateStep(s)
    }
    await this.store.cancelPending(
      open.map((s) => s.id),
      tx.now
    )
    return open
  }

  /** Ends the instance with an outcome; `rejected` and `withdrawn` are instance states of their own. */
  async finish(tx: FlowTx, outcome: string, state?: InstanceState): Promise<void> {
    await this.cancelOpen(tx)
    tx.instance.state = state ?? (outcome === 'rejected' ? 'rejected' : 'completed')
    tx.instance.outcome = outcome
    tx.instance.endedAt = tx.now.toISOString()
    tx.effects.notifications.push(notices.finished(tx))
  }

  /** After an action: the active nodes, the record's state column (only when it changed), the audit entries. */
  async sync(tx: FlowTx): Promise<void> {
    await this.settleJoins(tx)
    const open = tx.instance.state === 'running' ? await this.store.steps(tx.instance.id, true) : []
    tx.instance.active = [
      ...new Set(
        open
          .filter((s) => s.state === 'active' && TASK_NODES.has(tx.graph.node(s.nodeId).type))
          .map((s) => s.nodeId)
      )
    ]
    await this.store.saveInstance(tx.instance)
    const state = recordStateOf(tx.instance)
    if (state === tx.recordState) return
    const path = this.registry.collections.get(tx.instance.collection)?.path
    // The flow's audit entry carries the state change (one entry, not two); the record may
    // have been removed meanwhile, and the flow's own history stays consistent anyway.
    const params = { actor: tx.by.actor, user: tx.by.id ? { id: tx.by.id } : undefined, audit: false }
    if (path)
      await this.app
        .service(path)
        .patch(tx.instance.recordId, { state }, params as any)
        .catch((e: unknown) => {
          if (!(e instanceof NotFound)) throw e
        })
    const last = tx.audits[tx.audits.length - 1]
    const change = { recordState: [tx.recordState, state] }
    if (last) last.diff = { ...last.diff, ...change }
    else
      tx.audits.push({
        action: 'flow',
        collection: tx.instance.collection,
        recordId: tx.instance.recordId,
        actor: { id: tx.by.id, name: tx.by.name },
        diff: { instance: tx.instance.id, node: null, action: 'state', decision: null, ...change }
      })
    tx.recordState = state
  }
}
