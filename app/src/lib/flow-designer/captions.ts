import type { Condition, FlowEdge } from '@medaffairs/plugin-sdk'
import { t, tx } from '$lib/i18n/i18n.svelte'

/** A condition in words: `level ∈ 1, 2 且 budget > 10`. */
export function conditionText(c: Condition): string {
  if ('all' in c) return c.all.map(conditionText).join(t('flowDesigner.cond.and_sep'))
  if ('any' in c) return c.any.map(conditionText).join(t('flowDesigner.cond.or_sep'))
  const value = Array.isArray(c.value) ? c.value.join(', ') : c.value === undefined ? '' : String(c.value)
  return `${c.field} ${t(`flowDesigner.op.${c.op}`)} ${value}`.trim()
}

/** What an edge says on the canvas and in the outline: its label, else its decision and condition. */
export function edgeCaption(edge: FlowEdge): string {
  const own = edge.label ? tx(edge.label, '') : ''
  if (own) return own
  const parts = [edge.on ? t(`flowDesigner.on.${edge.on}`) : '', edge.when ? conditionText(edge.when) : '']
  return parts.filter(Boolean).join(' · ')
}
