import type { Params } from '@feathersjs/feathers'
import type { Actor, FlowDefinition } from '@medaffairs/plugin-sdk'
import type { FlowAccess } from './access.js'
import { shapeTask } from './access.js'
import type { FlowCatalog } from './catalog.js'
import type { FlowGraph } from './graph.js'
import { instanceSummary } from './inbox.js'
import type { FlowStore } from './store.js'
import type { Doc, InstanceRow, StepRow, TaskRow } from './types.js'

/** Steps a user acts on; the others (condition, parallel, join) are the engine's own. */
const WORK = new Set(['start', 'approve', 'score', 'fill'])
/** Steps the timeline shows: work, notices and the end. */
const SHOWN = new Set([...WORK, 'notify', 'end'])

/** Whether a step right after this node has its assignees chosen by this node's approver. */
export function choosesNext(def: FlowDefinition, nodeId: string): boolean {
  return def.edges
    .filter((e) => e.from === nodeId)
    .some((e) => def.nodes.find((n) => n.id === e.to)?.assignee?.kind === 'chosen')
}

/**
 * The earlier steps a task may be sent back to: steps already done on the way that led
 * here (the engine's `return` checks the same), newest visit per node, oldest first.
 */
export function returnTargets(
  graph: FlowGraph,
  history: StepRow[],
  step: StepRow
): Array<{ nodeId: string; label: unknown }> {
  const seen = new Map<string, { nodeId: string; label: unknown }>()
  for (const s of history) {
    if (s.state !== 'done' || s.nodeId === step.nodeId || s.id >= step.id) continue
    const node = graph.nodes.get(s.nodeId)
    if (!node || !WORK.has(node.type) || !graph.reachable(s.nodeId).has(step.nodeId)) continue
    seen.delete(s.nodeId)
    seen.set(s.nodeId, { nodeId: s.nodeId, label: node.label })
  }
  return [...seen.values()]
}

/** Whether the starter may still withdraw, by the flow's `withdraw` policy. */
export function mayWithdraw(
  def: FlowDefinition,
  instance: InstanceRow,
  tasks: TaskRow[],
  actorId: string
): boolean {
  if (instance.startedBy !== actorId || instance.state !== 'running') return false
  const policy = def.withdraw ?? 'before_action'
  if (policy === 'never') return false
  return (
    policy === 'while_running' ||
    !tasks.some((t) => t.kind !== 'start' && t.kind !== 'cc' && t.state === 'done')
  )
}

const attachmentsOf = (tasks: TaskRow[], comments: Doc[]): string[] => [
  ...comments.flatMap((c) => (c.attachments as string[]) ?? []),
  ...tasks.flatMap((t) => (t.data?.attachments as string[] | undefined) ?? [])
]

/**
 * The instance page in one call: the summary, the record as this viewer may see it, the
 * step timeline with each step's tasks, the review conversation with its files' names, the
 * people's names, and what the viewer can do now (their open tasks with the choices each
 * needs: return targets, the score sheet, whether to choose the next approvers; withdraw).
 */
export async function instanceView(
  d: { store: FlowStore; catalog: FlowCatalog; access: FlowAccess },
  instance: InstanceRow,
  actor: Actor,
  params: Params
): Promise<Doc> {
  const { def, graph } = await d.catalog.at(instance.flowKey, instance.version)
  const [steps, tasks, comments] = await Promise.all([
    d.store.steps(instance.id),
    d.store.tasksOfInstance(instance.id),
    d.store.comments(instance.id)
  ])
  const open = new Set(steps.filter((s) => s.state === 'active').map((s) => s.id))
  const shaped = tasks.map((t) => shapeTask(t, actor.id, open.has(t.stepId)))
  const node = (id: string) => graph.nodes.get(id)
  const stepOut = (s: StepRow) => ({
    id: s.id,
    nodeId: s.nodeId,
    label: node(s.nodeId)?.label ?? null,
    type: node(s.nodeId)?.type ?? null,
    round: s.round,
    state: s.state,
    decision: s.decision,
    result: s.data.result ?? null,
    dueAt: s.dueAt,
    createdAt: s.createdAt,
    endedAt: s.endedAt
  })
  const pending = tasks.filter((t) => t.assigneeId === actor.id && t.state === 'pending' && t.kind !== 'cc')
  const mine = pending.map((t) => {
    const step = steps.find((s) => s.id === t.stepId)!
    const n = node(t.nodeId)
    return {
      id: t.id,
      nodeId: t.nodeId,
      kind: t.kind,
      nodeLabel: n?.label ?? null,
      nodeType: n?.type ?? null,
      mode: n?.mode ?? null,
      scoring: n?.scoring ?? null,
      form: n?.form ?? null,
      everyMonths: n?.type === 'fill' ? (n.everyMonths ?? null) : null,
      chooseNext: choosesNext(def, t.nodeId),
      dueAt: t.dueAt,
      returnTargets: t.kind === 'start' ? [] : returnTargets(graph, steps, step)
    }
  })
  const userIds = [
    instance.startedBy,
    ...tasks.flatMap((t) => [t.assigneeId, t.addedBy]),
    ...comments.map((c) => c.authorId as string)
  ]
  const [people, files, record, summary] = await Promise.all([
    d.store.people(userIds),
    d.store.fileInfo(attachmentsOf(tasks, comments)),
    d.access.record(actor, instance, params),
    instanceSummary(instance, d.catalog)
  ])
  return {
    ...summary,
    deptId: instance.deptId,
    steps: steps.map(stepOut),
    tasks: shaped,
    timeline: steps
      .filter((s) => SHOWN.has(node(s.nodeId)?.type ?? ''))
      .map((s) => ({ ...stepOut(s), tasks: shaped.filter((t) => t.stepId === s.id) })),
    comments,
    record,
    people,
    files,
    // Score sheets by node: the timeline labels criteria and the aggregate of closed rounds.
    sheets: Object.fromEntries(def.nodes.filter((n) => n.scoring).map((n) => [n.id, n.scoring])),
    myTasks: pending.map((t) => t.id),
    mine,
    canWithdraw: mayWithdraw(def, instance, tasks, actor.id)
  }
}

/** Instances for a record's page: each with the people it waits for (id and name). */
export async function withAssignees(
  d: { store: FlowStore; catalog: FlowCatalog },
  instances: InstanceRow[]
): Promise<Doc[]> {
  const waiting = await d.store.pendingAssignees(instances.map((i) => i.id))
  const names = await d.store.people([...waiting.values()].flat())
  return Promise.all(
    instances.map(async (i) => ({
      ...(await instanceSummary(i, d.catalog)),
      assignees: [...new Set(waiting.get(i.id) ?? [])].map((id) => ({ id, name: names[id] ?? id }))
    }))
  )
}
