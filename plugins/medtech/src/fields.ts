import type { FieldKind, FormField } from '@medaffairs/plugin-sdk'

type Options = Partial<Omit<FormField, 'name' | 'kind' | 'label'>>

/** A field in one line: `field('date', 'applyDate', '申请日期', 'Applied on', { required: true })`. */
export function field(
  kind: FieldKind,
  name: string,
  zh: string,
  en: string,
  options: Options = {}
): FormField {
  return { name, kind, label: { 'zh-CN': zh, 'en-US': en }, ...options }
}

/** A select whose options come from a dictionary (editable by the hospital). */
export function pick(
  name: string,
  dictionary: string,
  zh: string,
  en: string,
  options: Options = {}
): FormField {
  return field('select', name, zh, en, { dictionary, filterable: true, ...options })
}

/** Reasons carry both languages, as every form error of the workspace does. */
export const reason = (zh: string, en: string) => `${zh} (${en})`
