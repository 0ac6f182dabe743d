import type { FlowDefinition, FlowEdge, FlowNode, FlowNodeType, FlowProblem } from '@medaffairs/plugin-sdk'

/**
 * Editing a flow definition in the designer: adding, inserting, connecting and removing
 * nodes and edges. Every function changes the definition in place (the designer holds it
 * as Svelte state) and answers what it did; none of them talks to the server.
 */

/** Node kinds in the order the designer offers them, and those that give people tasks. */
export { FLOW_NODE_TYPES as NODE_TYPES, FLOW_TASK_TYPES as TASK_TYPES } from '$lib/sdk'
export type Texts = { 'zh-CN': string; 'en-US': string }

/** A node id not yet used: `approve_2`. */
export function newNodeId(def: FlowDefinition, type: FlowNodeType): string {
  const used = new Set(def.nodes.map((n) => n.id))
  for (let i = 1; ; i++) if (!used.has(`${type}_${i}`)) return `${type}_${i}`
}

/** A new node of a kind with the settings it cannot do without (an approval has no assignee yet: the designer asks for one). */
export function defaultNode(type: FlowNodeType, id: string, label: Texts): FlowNode {
  const node: FlowNode = { id, type, label: { ...label } }
  if (type === 'approve') node.mode = 'single'
  if (type === 'score') {
    node.scoring = {
      criteria: [{ key: 'c1', label: { ...label }, max: 100 }],
      aggregate: 'mean',
      pass: { kind: 'threshold', value: 60 },
      excludeOwnDepartment: true
    }
  }
  if (type === 'end') node.outcome = 'approved'
  return node
}

export function addNode(def: FlowDefinition, node: FlowNode): FlowNode {
  def.nodes.push(node)
  return node
}

export const outgoing = (def: FlowDefinition, id: string): Array<{ edge: FlowEdge; index: number }> =>
  def.edges.map((edge, index) => ({ edge, index })).filter((x) => x.edge.from === id)

export const incoming = (def: FlowDefinition, id: string): Array<{ edge: FlowEdge; index: number }> =>
  def.edges.map((edge, index) => ({ edge, index })).filter((x) => x.edge.to === id)

/** Puts a node on an edge: `a → b` becomes `a → node → b` (the decision and condition stay on the first half). */
export function insertOnEdge(def: FlowDefinition, edgeIndex: number, node: FlowNode): void {
  const edge = def.edges[edgeIndex]
  if (!edge) throw new Error(`no edge ${edgeIndex}`)
  if (!def.nodes.includes(node)) def.nodes.push(node)
  const to = edge.to
  def.edges.splice(edgeIndex, 1, { ...edge, to: node.id }, { from: node.id, to })
}

export type ConnectRefusal = 'same-node' | 'into-start' | 'out-of-end' | 'exists' | 'unknown-node'

/** Why an edge may not be drawn, or null when it may. */
export function connectRefusal(
  def: FlowDefinition,
  from: string,
  to: string,
  on?: FlowEdge['on']
): ConnectRefusal | null {
  const a = def.nodes.find((n) => n.id === from)
  const b = def.nodes.find((n) => n.id === to)
  if (!a || !b) return 'unknown-node'
  if (from === to) return 'same-node'
  if (b.type === 'start') return 'into-start'
  if (a.type === 'end') return 'out-of-end'
  if (def.edges.some((e) => e.from === from && e.to === to && (e.on ?? null) === (on ?? null)))
    return 'exists'
  return null
}

/** Draws an edge when it may be drawn; answers the refusal otherwise. */
export function connect(
  def: FlowDefinition,
  from: string,
  to: string,
  extra: Partial<FlowEdge> = {}
): ConnectRefusal | null {
  const refusal = connectRefusal(def, from, to, extra.on)
  if (!refusal) def.edges.push({ from, to, ...extra })
  return refusal
}

export function removeEdge(def: FlowDefinition, index: number): void {
  def.edges.splice(index, 1)
}

/**
 * Removes a node and its edges. A node on a plain path (one edge in, one out) is bridged:
 * `a → x → b` becomes `a → b`, keeping what the incoming edge decided on.
 */
export function removeNode(def: FlowDefinition, id: string): void {
  const ins = incoming(def, id)
  const outs = outgoing(def, id)
  const bridge =
    ins.length === 1 && outs.length === 1 && outs[0].edge.to !== ins[0].edge.from
      ? { ...ins[0].edge, to: outs[0].edge.to }
      : null
  const kept = def.edges.filter((e) => e.from !== id && e.to !== id)
  const at = def.edges.slice(0, ins[0]?.index ?? 0).filter((e) => e.from !== id && e.to !== id).length
  def.nodes = def.nodes.filter((n) => n.id !== id)
  def.edges = kept
  // In the incoming edge's place, so the order of a condition's branches stays as it was.
  if (bridge && !connectRefusal(def, bridge.from, bridge.to, bridge.on)) def.edges.splice(at, 0, bridge)
}

/** The validator's problems per node id (problems of the whole flow under `''`). */
export function problemsByNode(problems: readonly FlowProblem[]): Map<string, FlowProblem[]> {
  const out = new Map<string, FlowProblem[]>()
  for (const p of problems) out.set(p.nodeId ?? '', [...(out.get(p.nodeId ?? '') ?? []), p])
  return out
}

/** The node kinds of which the flow may hold only one. */
export const canAdd = (def: FlowDefinition, type: FlowNodeType): boolean =>
  type !== 'start' || !def.nodes.some((n) => n.type === 'start')

/** A new flow: a start and an end, connected. */
export function starterFlow(
  key: string,
  label: Texts,
  collection: string,
  names: { start: Texts; end: Texts }
): FlowDefinition {
  return {
    key,
    label,
    collection,
    nodes: [
      { ...defaultNode('start', 'start', names.start), position: { x: 24, y: 24 } },
      { ...defaultNode('end', 'end', names.end), position: { x: 264, y: 24 } }
    ],
    edges: [{ from: 'start', to: 'end' }]
  }
}
