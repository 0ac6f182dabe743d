import type { FlowDefinition, FlowNode, FlowNodeType } from '@medaffairs/plugin-sdk'
import type { ArchiveModule } from './mechanism.js'
import { reviewFlow } from './review.js'
import type { ReviewSettings, ReviewStep } from './review-settings.shared.js'

/** Node types where someone acts on the entry; a flow without any reviews nothing. */
const ACTING: FlowNodeType[] = ['approve', 'score', 'fill']

/** Sorted keys, and without where the designer draws nodes: drawing is not part of what a flow does. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (!value || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([k, v]) => k !== 'position' && v !== undefined
  )
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]))
}

/** Whether two flows do the same thing (node positions and key order aside). */
export function sameFlow(a: FlowDefinition, b: FlowDefinition): boolean {
  return (
    JSON.stringify(canonical({ ...a, key: undefined })) ===
    JSON.stringify(canonical({ ...b, key: undefined }))
  )
}

/**
 * The two settings a published review flow was built from, or null when it was changed in the
 * designer beyond them (other steps, reviewers, timers, labels…): the page then shows it read-only.
 * A flow qualifies when rebuilding it from the settings read off it gives the same flow.
 */
export function reviewSettingsOf(
  module: ArchiveModule,
  body: FlowDefinition | null | undefined
): ReviewSettings | null {
  const nodes = Array.isArray(body?.nodes) ? body.nodes : []
  const office = nodes.find((n) => n.id === 'office')
  if (!body || office?.assignee?.kind !== 'role') return null
  const settings: ReviewSettings = {
    office: office.assignee.role,
    secretary: nodes.some((n) => n.id === 'dept')
  }
  return sameFlow(body, reviewFlow(module, settings)) ? settings : null
}

/** The steps after the person's submission, in the order the flow reaches them (breadth first from the start). */
export function reviewSteps(body: FlowDefinition | null | undefined): ReviewStep[] {
  const nodes = new Map((body?.nodes ?? []).map((n: FlowNode) => [n.id, n]))
  const start = (body?.nodes ?? []).find((n) => n.type === 'start')
  if (!start) return []
  const seen = new Set([start.id])
  const queue = [start.id]
  const steps: ReviewStep[] = []
  while (queue.length) {
    const id = queue.shift()!
    for (const edge of body!.edges ?? []) {
      if (edge.from !== id || seen.has(edge.to) || !nodes.has(edge.to)) continue
      seen.add(edge.to)
      queue.push(edge.to)
      const node = nodes.get(edge.to)!
      if (node.type !== 'end')
        steps.push({
          id: node.id,
          type: node.type,
          label: node.label,
          ...(node.assignee ? { assignee: node.assignee } : {})
        })
    }
  }
  return steps
}

/** Whether entries are reviewed at all: some reachable step has someone act on them. */
export const reviewEnabled = (body: FlowDefinition | null | undefined): boolean =>
  reviewSteps(body).some((s) => ACTING.includes(s.type))
