import type { FieldErrors } from '$lib/api/handle-error'
import type { DictionaryItem, DictionaryItemData } from '$lib/api/types'
import { t } from '$lib/i18n/i18n.svelte'

/** The item form's fields, as the inputs hold them. */
export interface ItemFormValues {
  code: string
  zh: string
  en: string
  parent: string
  order: number | null
  enabled: boolean
}

/** Server field paths → the form field that shows their message. */
const SERVER_FIELDS: Record<string, keyof ItemFormValues> = {
  code: 'code',
  label: 'zh',
  'label.zh-CN': 'zh',
  'label.en-US': 'en',
  parent: 'parent',
  order: 'order',
  enabled: 'enabled'
}

export function initialValues(
  item: DictionaryItem | null,
  parent: string | null,
  nextOrder: number
): ItemFormValues {
  return {
    code: item?.code ?? '',
    zh: item?.label['zh-CN'] ?? '',
    en: item?.label['en-US'] ?? '',
    parent: item?.parent ?? parent ?? '',
    order: item?.order ?? nextOrder,
    enabled: item?.enabled ?? true
  }
}

export function toData(dictionary: string, v: ItemFormValues): DictionaryItemData {
  const label: DictionaryItemData['label'] = { 'zh-CN': v.zh.trim() }
  if (v.en.trim()) label['en-US'] = v.en.trim()
  return {
    dictionary,
    code: v.code.trim(),
    label,
    parent: v.parent || null,
    order: v.order ?? 0,
    enabled: v.enabled
  }
}

/** Checks made before sending; the server checks again and has the last word. */
export function validate(v: ItemFormValues): FieldErrors {
  const errors: FieldErrors = {}
  if (!v.code.trim()) errors.code = t('errors.field_required')
  if (!v.zh.trim()) errors.zh = t('errors.field_required')
  if (v.order !== null && !Number.isInteger(v.order)) errors.order = t('errors.field_integer')
  return errors
}

/** Splits server errors into those a field shows and the rest (shown above the form). */
export function mapServerErrors(fields: FieldErrors): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {}
  const other: string[] = []
  for (const [path, reason] of Object.entries(fields)) {
    const field = SERVER_FIELDS[path]
    if (field) byField[field] = reason
    else other.push(`${path}: ${reason}`)
  }
  return { byField, other }
}
