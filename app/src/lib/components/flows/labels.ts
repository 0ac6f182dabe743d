import { i18n, t, tx } from '$lib/i18n/i18n.svelte'
import type { TaskView, TimelineStep } from '$lib/flows/types'

/** Words for the engine's codes: a step's outcome, a task's decision. */

export function stepTitle(step: Pick<TimelineStep, 'type' | 'label' | 'nodeId'>): string {
  if (step.type === 'start') return t('flows.step.start')
  return tx(step.label ?? {}, step.nodeId) || (step.type === 'end' ? t('flows.step.end') : step.nodeId)
}

export function stepStatus(step: Pick<TimelineStep, 'state' | 'decision'>): string {
  if (step.decision && i18n.has(`flows.step.${step.decision}`)) return t(`flows.step.${step.decision}`)
  return i18n.has(`flows.step.${step.state}`) ? t(`flows.step.${step.state}`) : step.state
}

export function taskStatus(task: Pick<TaskView, 'state' | 'decision'>): string {
  if (task.state === 'done' && task.decision && i18n.has(`flows.decision.${task.decision}`))
    return t(`flows.decision.${task.decision}`)
  return t(`flows.task.${task.state}`)
}
