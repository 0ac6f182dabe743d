import { t, tx, type I18nText } from '$lib/i18n/i18n.svelte'
import type { ReviewSettingsRow, ReviewStep } from '$lib/services/review-settings.service'

type Roles = Array<{ code: string; name: I18nText | string }>

/** Who acts at a step, in plain words: the role's name for role rules, a phrase for the others, else the step's label. */
export function stepWho(step: ReviewStep, roles: Roles): string {
  const a = step.assignee
  if (!a) return tx(step.label, step.id)
  if (a.kind === 'role' || a.kind === 'role_in_dept' || a.kind === 'panel') {
    const name = tx(roles.find((r) => r.code === a.role)?.name, a.role)
    return a.kind === 'panel' ? t('archives.reviewSettings.who.panel', { role: name }) : name
  }
  return t(`archives.reviewSettings.who.${a.kind}`)
}

/** "科室秘书 → 人事科", or that entries count at once when nobody reviews them. */
export function stepsWording(row: ReviewSettingsRow, roles: Roles): string {
  if (!row.enabled) return t('archives.reviewSettings.no_review')
  return row.steps.map((s) => stepWho(s, roles)).join(' → ')
}
