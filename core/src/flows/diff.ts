import type { FlowDefinition, FlowDiff, FlowEdge, FlowNode } from '@medaffairs/plugin-sdk'
import { canonicalJson } from '../audit/canonical.js'

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b)
const edgeKey = (e: FlowEdge) => `${e.from}→${e.to}${e.on ? `:${e.on}` : ''}`

function changesOf<T extends object>(a: T, b: T, ignore: string[] = []): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {}
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignore.includes(k)) continue
    const before = (a as Record<string, unknown>)[k]
    const after = (b as Record<string, unknown>)[k]
    if (!same(before, after)) out[k] = [before, after]
  }
  return out
}

function byKey<T>(list: T[], key: (x: T) => string): Map<string, T> {
  return new Map(list.map((x) => [key(x), x]))
}

/**
 * Two versions of a flow, node by node and edge by edge (a node moved on the canvas is not
 * a change of the process, so positions are left out).
 */
export function diffFlows(a: FlowDefinition, b: FlowDefinition): FlowDiff {
  const na = byKey<FlowNode>(a.nodes ?? [], (n) => n.id)
  const nb = byKey<FlowNode>(b.nodes ?? [], (n) => n.id)
  const ea = byKey<FlowEdge>(a.edges ?? [], edgeKey)
  const eb = byKey<FlowEdge>(b.edges ?? [], edgeKey)
  const nodeChanges = [...nb].flatMap(([id, n]) => {
    const old = na.get(id)
    const changes = old ? changesOf(old, n, ['position']) : {}
    return Object.keys(changes).length ? [{ node: id, changes }] : []
  })
  const edgeChanges = [...eb].flatMap(([id, e]) => {
    const old = ea.get(id)
    const changes = old ? changesOf(old, e) : {}
    return Object.keys(changes).length ? [{ edge: id, changes }] : []
  })
  return {
    nodes: {
      added: [...nb.keys()].filter((id) => !na.has(id)),
      removed: [...na.keys()].filter((id) => !nb.has(id)),
      changed: nodeChanges
    },
    edges: {
      added: [...eb.keys()].filter((id) => !ea.has(id)),
      removed: [...ea.keys()].filter((id) => !eb.has(id)),
      changed: edgeChanges
    },
    flow: changesOf(a, b, ['nodes', 'edges', 'key'])
  }
}

export function isFlow(body: unknown): body is FlowDefinition {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as FlowDefinition).nodes) &&
    Array.isArray((body as FlowDefinition).edges)
  )
}
