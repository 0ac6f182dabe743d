import type { FlowDefinition, FlowEdge, FlowNode } from '@medaffairs/plugin-sdk'
import { matches } from './condition.js'

const POSITIVE = new Set(['approved', 'passed'])

/** Whether an edge's `on` accepts a step decision; `approved`/`passed` and `rejected`/`failed` are alike. */
function accepts(edge: FlowEdge, decision: string | undefined): boolean {
  const positive = decision === undefined || POSITIVE.has(decision)
  if (!edge.on) return positive
  return POSITIVE.has(edge.on) === positive
}

/** A flow definition indexed for walking: nodes by id, edges out of and into each node. */
export class FlowGraph {
  readonly nodes = new Map<string, FlowNode>()
  readonly out = new Map<string, FlowEdge[]>()
  readonly incoming = new Map<string, FlowEdge[]>()
  readonly start: FlowNode

  constructor(readonly def: FlowDefinition) {
    for (const n of def.nodes) {
      this.nodes.set(n.id, n)
      this.out.set(n.id, [])
      this.incoming.set(n.id, [])
    }
    for (const e of def.edges) {
      this.out.get(e.from)?.push(e)
      this.incoming.get(e.to)?.push(e)
    }
    const start = def.nodes.find((n) => n.type === 'start')
    if (!start) throw new Error(`flow ${def.key} has no start node`)
    this.start = start
  }

  node(id: string): FlowNode {
    const n = this.nodes.get(id)
    if (!n) throw new Error(`flow ${this.def.key} has no node ${id}`)
    return n
  }

  /** Every node reachable from `from` (itself included): what a return to `from` starts over. */
  reachable(from: string): Set<string> {
    const seen = new Set([from])
    const stack = [from]
    while (stack.length) {
      for (const e of this.out.get(stack.pop()!) ?? []) {
        if (seen.has(e.to)) continue
        seen.add(e.to)
        stack.push(e.to)
      }
    }
    return seen
  }

  /** Whether leaving the node reads the record (an edge with a condition). */
  conditional(id: string): boolean {
    return (this.out.get(id) ?? []).some((e) => !!e.when)
  }

  /** The distinct nodes a join waits for. */
  joinSources(id: string): string[] {
    return [...new Set((this.incoming.get(id) ?? []).map((e) => e.from))]
  }

  /**
   * The sources of a join that may still arrive: not arrived yet, and either open themselves
   * or reachable from an open node without passing through the join. A branch a condition
   * skipped is reachable from nothing open any more, so the join stops waiting for it.
   */
  liveSources(joinId: string, arrived: ReadonlySet<string>, open: Iterable<string>): string[] {
    const pending = this.joinSources(joinId).filter((s) => !arrived.has(s))
    if (!pending.length) return []
    const seen = new Set([...open].filter((id) => id !== joinId))
    const stack = [...seen]
    while (stack.length) {
      for (const e of this.out.get(stack.pop()!) ?? []) {
        if (e.to === joinId || seen.has(e.to)) continue
        seen.add(e.to)
        stack.push(e.to)
      }
    }
    return pending.filter((s) => seen.has(s))
  }

  /**
   * Where the flow goes from a node after `decision`: every edge of a parallel split;
   * otherwise the first edge whose `when` matches the record, else the edge without `when`.
   * Empty when no edge fits (a rejection without its own edge ends the flow as rejected).
   */
  next(id: string, decision: string | undefined, record: Record<string, unknown>): FlowEdge[] {
    const edges = (this.out.get(id) ?? []).filter((e) => accepts(e, decision))
    if (this.node(id).type === 'parallel') return edges
    const hit = edges.find((e) => e.when && matches(e.when, record))
    const fallback = edges.find((e) => !e.when)
    return hit ? [hit] : fallback ? [fallback] : []
  }
}

export const isPositive = (decision: string | null | undefined) => !!decision && POSITIVE.has(decision)
