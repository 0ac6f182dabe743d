/**
 * The check of a flow definition, shared by the server (drafts, publishing, starting an
 * instance) and the designer in the browser (problems shown on their nodes while editing).
 * Pure and browser-safe: no imports beyond the model.
 */
import { FLOW_TASK_TYPES, type AssigneeRule, type FlowDefinition, type FlowNode } from './flows.js'

export interface FlowProblem {
  code:
    | 'no-start'
    | 'many-starts'
    | 'no-end'
    | 'duplicate-id'
    | 'unknown-node'
    | 'unreachable'
    | 'no-way-to-end'
    | 'loop-without-exit'
    | 'no-assignee'
    | 'vote-without-threshold'
    | 'score-without-sheet'
    | 'fill-without-form'
    | 'notify-without-target'
    | 'end-with-exit'
    | 'edge-into-start'
    | 'dead-end'
    | 'condition-without-default'
    | 'bad-join'
    | 'bad-parallel'
    | 'escalate-without-target'
    | 'bad-criterion'
    | 'bad-assignee'
  message: string
  nodeId?: string
}

/** Whether a rule names somebody: a role, users, a field… (a half-filled rule from the designer does not). */
export function ruleComplete(rule: AssigneeRule | undefined): boolean {
  if (!rule) return false
  switch (rule.kind) {
    case 'role':
    case 'role_in_dept':
    case 'panel':
      return typeof rule.role === 'string' && rule.role.length > 0
    case 'users':
      return Array.isArray(rule.userIds) && rule.userIds.length > 0
    case 'field':
      return typeof rule.field === 'string' && rule.field.length > 0
    case 'dept_leader':
      return rule.levels === undefined || (Number.isInteger(rule.levels) && rule.levels >= 1)
    case 'direct_leader':
    case 'chosen':
    case 'applicant':
      return true
    default:
      return false
  }
}

/** Nodes reachable from `from` over `next`. */
function reach(from: string[], next: Map<string, string[]>): Set<string> {
  const seen = new Set(from)
  const stack = [...from]
  while (stack.length) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (seen.has(n)) continue
      seen.add(n)
      stack.push(n)
    }
  }
  return seen
}

/** Strongly connected components (Tarjan); recursion is fine for designer-sized graphs. */
function components(ids: string[], next: Map<string, string[]>): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const out: string[][] = []
  const visit = (v: string) => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) !== idx.get(v)) return
    const scc: string[] = []
    let w: string
    do {
      w = stack.pop()!
      on.delete(w)
      scc.push(w)
    } while (w !== v)
    out.push(scc)
  }
  for (const id of ids) if (!idx.has(id)) visit(id)
  return out
}

function nodeProblems(n: FlowNode, outs: number, ins: number, hasDefault: boolean): FlowProblem[] {
  const p: FlowProblem[] = []
  const add = (code: FlowProblem['code'], message: string) => p.push({ code, message, nodeId: n.id })
  if (FLOW_TASK_TYPES.has(n.type) && !n.assignee)
    add('no-assignee', `步骤「${n.id}」没有处理人规则 (no assignee rule)`)
  else if (FLOW_TASK_TYPES.has(n.type) && !ruleComplete(n.assignee))
    add('bad-assignee', `步骤「${n.id}」的处理人规则不完整 (the assignee rule is incomplete)`)
  if (
    n.type === 'approve' &&
    n.mode === 'vote' &&
    !(typeof n.threshold === 'number' && n.threshold > 0 && n.threshold <= 1)
  )
    add('vote-without-threshold', `投票步骤「${n.id}」需要 0–1 的通过比例 (vote needs a threshold in (0, 1])`)
  if (n.type === 'score' && !n.scoring?.criteria?.length)
    add('score-without-sheet', `评分步骤「${n.id}」没有评分表 (no score sheet)`)
  for (const c of n.scoring?.criteria ?? [])
    if (!c.key || !(c.max > 0)) add('bad-criterion', `评分项「${c.key}」的满分应大于0 (max must be > 0)`)
  if (n.type === 'fill' && !n.form) add('fill-without-form', `填报步骤「${n.id}」没有指定表单 (no form)`)
  if (n.type === 'notify' && !ruleComplete(n.notify?.to))
    add('notify-without-target', `通知节点「${n.id}」没有接收人 (no recipients)`)
  if (n.type === 'end' && outs) add('end-with-exit', `结束节点「${n.id}」不能有出口 (an end has no way out)`)
  if (n.type === 'start' && ins)
    add('edge-into-start', `开始节点不能有入口，退回请用退回操作 (no edges into start)`)
  if (n.type !== 'end' && !outs) add('dead-end', `节点「${n.id}」没有出口 (no way out)`)
  if (n.type === 'condition' && outs && !hasDefault)
    add(
      'condition-without-default',
      `条件节点「${n.id}」需要一条默认分支 (needs an edge without a condition)`
    )
  if (n.type === 'join' && ins < 2)
    add('bad-join', `汇合节点「${n.id}」至少需要两条入口 (a join needs two incoming branches)`)
  if (n.type === 'parallel' && outs < 2)
    add('bad-parallel', `并行节点「${n.id}」至少需要两条分支 (a split needs two branches)`)
  const t = n.timers
  if (t && (t.escalateAfterHours || t.onDeadline === 'escalate') && !ruleComplete(t.escalateTo))
    add('escalate-without-target', `步骤「${n.id}」的升级没有接收人 (escalation needs escalateTo)`)
  return p
}

function graphProblems(
  def: FlowDefinition,
  ids: Set<string>,
  next: Map<string, string[]>,
  back: Map<string, string[]>
): FlowProblem[] {
  const p: FlowProblem[] = []
  const starts = def.nodes.filter((n) => n.type === 'start').map((n) => n.id)
  const ends = def.nodes.filter((n) => n.type === 'end').map((n) => n.id)
  const fromStart = reach(starts, next)
  const toEnd = reach(ends, back)
  for (const id of ids) {
    if (starts.length && !fromStart.has(id))
      p.push({
        code: 'unreachable',
        message: `节点「${id}」从开始无法到达 (unreachable from start)`,
        nodeId: id
      })
    if (ends.length && !toEnd.has(id))
      p.push({
        code: 'no-way-to-end',
        message: `节点「${id}」无法到达结束 (cannot reach an end)`,
        nodeId: id
      })
  }
  for (const scc of components([...ids], next)) {
    const looped = scc.length > 1 || (next.get(scc[0]) ?? []).includes(scc[0])
    if (!looped) continue
    const inside = new Set(scc)
    const exits = scc.some((id) => ends.includes(id) || (next.get(id) ?? []).some((to) => !inside.has(to)))
    if (!exits)
      p.push({
        code: 'loop-without-exit',
        message: `循环 ${scc.join('→')} 没有出口 (a loop without an exit)`,
        nodeId: scc[0]
      })
  }
  return p
}

/** Everything wrong with a flow definition, for the designer and before a flow is used. Empty = valid. */
export function validateFlow(def: FlowDefinition): FlowProblem[] {
  const problems: FlowProblem[] = []
  const ids = new Set<string>()
  for (const n of def.nodes ?? []) {
    if (ids.has(n.id))
      problems.push({
        code: 'duplicate-id',
        message: `节点编号「${n.id}」重复 (duplicate node id)`,
        nodeId: n.id
      })
    ids.add(n.id)
  }
  const starts = (def.nodes ?? []).filter((n) => n.type === 'start').length
  if (!starts) problems.push({ code: 'no-start', message: '没有开始节点 (no start node)' })
  if (starts > 1)
    problems.push({ code: 'many-starts', message: '只能有一个开始节点 (more than one start node)' })
  if (!(def.nodes ?? []).some((n) => n.type === 'end'))
    problems.push({ code: 'no-end', message: '没有结束节点 (no end node)' })
  const next = new Map([...ids].map((id) => [id, [] as string[]]))
  const back = new Map([...ids].map((id) => [id, [] as string[]]))
  for (const e of def.edges ?? []) {
    const bad = [e.from, e.to].filter((id) => !ids.has(id))
    if (bad.length)
      problems.push({
        code: 'unknown-node',
        message: `连线 ${e.from}→${e.to} 指向不存在的节点 ${bad.join('、')} (edge to an unknown node)`,
        nodeId: bad[0]
      })
    else {
      next.get(e.from)!.push(e.to)
      back.get(e.to)!.push(e.from)
    }
  }
  for (const n of def.nodes ?? []) {
    const outs = (def.edges ?? []).filter((e) => e.from === n.id)
    problems.push(
      ...nodeProblems(
        n,
        outs.length,
        back.get(n.id)?.length ?? 0,
        outs.some((e) => !e.when)
      )
    )
  }
  problems.push(...graphProblems(def, ids, next, back))
  return problems
}
