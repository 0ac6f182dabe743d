// The one-line field builders are the SDK's; the modules here know them by these short names.
import { formField as field, fixedOptions as options, type FormField } from '@medaffairs/plugin-sdk'

export { field, options }

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
