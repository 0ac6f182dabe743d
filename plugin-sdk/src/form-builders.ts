import type { FieldKind, FormField } from './forms.js'
import type { I18nText } from './collection.js'

/** What a field carries besides its name, kind and label. */
export type FieldOptions = Partial<Omit<FormField, 'name' | 'kind' | 'label'>>

/** A form field in one line: `formField('date', 'hireDate', '入职日期', 'Hire date', { sortable: true })`. */
export function formField(
  kind: FieldKind,
  name: string,
  zh: string,
  en: string,
  options: FieldOptions = {}
): FormField {
  return { name, kind, label: { 'zh-CN': zh, 'en-US': en }, ...options }
}

/** A select whose options come from a dictionary the hospital edits; lists filter on it. */
export function dictionaryField(
  name: string,
  dictionary: string,
  zh: string,
  en: string,
  options: FieldOptions = {}
): FormField {
  return formField('select', name, zh, en, { dictionary, filterable: true, ...options })
}

/** Fixed options: codes the server's logic relies on, so not a hospital-editable dictionary. */
export function fixedOptions(
  ...items: Array<[value: string, zh: string, en: string]>
): Array<{ value: string; label: I18nText }> {
  return items.map(([value, zh, en]) => ({ value, label: { 'zh-CN': zh, 'en-US': en } }))
}
