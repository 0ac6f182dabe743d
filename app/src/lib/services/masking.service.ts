import { service } from '$lib/api/client'
import { fieldErrors, handleError, type FieldErrors } from '$lib/api/handle-error'
import type { MaskingRuleRecord } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'

export async function listMaskingRules(): Promise<MaskingRuleRecord[]> {
  const page = await service('masking-rules').find({ query: { $limit: 500, $sort: { collection: 1 } } })
  return page.data
}

export type RuleData = Omit<MaskingRuleRecord, 'id'>
export type RuleSaveResult = { ok: true } | { ok: false; fields: FieldErrors }

/** Creates a rule or saves an edit; a second rule for the same field is refused (409). */
export async function saveMaskingRule(
  existing: MaskingRuleRecord | null,
  data: RuleData
): Promise<RuleSaveResult> {
  try {
    const rules = service('masking-rules')
    if (existing) await rules.patch(existing.id, data)
    else await rules.create(data)
    toasts.success(
      t(existing ? 'masking.saved' : 'masking.created', { field: `${data.collection}.${data.field}` })
    )
    return { ok: true }
  } catch (error) {
    const fields = fieldErrors(error)
    if ((error as { code?: number })?.code === 409)
      return { ok: false, fields: { field: t('masking.duplicate') } }
    if (!Object.keys(fields).length) handleError(error, 'errors.unable_to_save_masking')
    return { ok: false, fields }
  }
}

export async function removeMaskingRule(rule: MaskingRuleRecord): Promise<boolean> {
  try {
    await service('masking-rules').remove(rule.id)
    toasts.success(t('masking.removed', { field: `${rule.collection}.${rule.field}` }))
    return true
  } catch (error) {
    handleError(error, 'errors.unable_to_save_masking')
    return false
  }
}
