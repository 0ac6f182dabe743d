import type { FieldKind, FormField, I18nText } from '@medaffairs/plugin-sdk'

type Options = Partial<Omit<FormField, 'name' | 'kind' | 'label'>>

/** A form field in one line: `field('date', 'procedureDate', '治疗日期', 'Date', { required: true })`. */
export function field(
  kind: FieldKind,
  name: string,
  zh: string,
  en: string,
  options: Options = {}
): FormField {
  return { name, kind, label: { 'zh-CN': zh, 'en-US': en }, ...options }
}

/** Fixed options (codes the server's logic relies on, so not a hospital-editable dictionary). */
export function options(
  ...items: Array<[value: string, zh: string, en: string]>
): Array<{ value: string; label: I18nText }> {
  return items.map(([value, zh, en]) => ({ value, label: { 'zh-CN': zh, 'en-US': en } }))
}

/** The technology a record is about: a code of the catalogue (drawn from its mirror dictionary). */
export const technologyField = (): FormField =>
  field('select', 'technologyCode', '限制类技术', 'Restricted technology', {
    dictionary: 'restricted_technology',
    required: true,
    filterable: true,
    sortable: true
  })

/** The people who perform the technology: one row per person, with their role. */
export const operatorsField = (extra: FormField[] = []): FormField =>
  field('subtable', 'operators', '操作人员', 'Operators', {
    required: true,
    fields: [
      field('user', 'userId', '人员', 'Person', { required: true }),
      field('select', 'role', '角色', 'Role', {
        required: true,
        options: options(['main', '主要操作者', 'Main operator'], ['assistant', '助手', 'Assistant'])
      }),
      ...extra
    ]
  })
