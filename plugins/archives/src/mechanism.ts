import {
  collectionFromForm,
  type CollectionDefinition,
  type FormDefinition,
  type FormField,
  type FormSection,
  type I18nText
} from '@medaffairs/plugin-sdk'
import { field } from './fields.js'

/** The functional office that reviews entries of a module (configurable in settings). */
export type ReviewOffice = 'hr' | 'research_office' | 'medical_affairs_admin'

export interface ArchiveModuleSpec {
  /** Short key, e.g. `education`; the collection is `archive_<key>`. */
  key: string
  label: I18nText
  /** The module's own fields (the person, attachments and remarks are added). */
  fields: FormField[]
  sections?: FormSection[]
  reviewOffice: ReviewOffice
  /** Fields shown as list columns by default. */
  listColumns: string[]
  /** One record per person (basic info) rather than many. */
  single?: boolean
  /** The entry earns CME credits (credits fields present). */
  credits?: boolean
  /** The entry carries a validity date watched for expiry reminders. */
  expiresField?: string
  /** Menu order. */
  order: number
}

export interface ArchiveModule {
  spec: ArchiveModuleSpec
  form: FormDefinition
  collection: CollectionDefinition
}

const COMMON_HEAD: FormField[] = [
  field('user', 'staffId', '人员', 'Person', { required: true, filterable: true })
]
const COMMON_TAIL: FormField[] = [field('textarea', 'remark', '备注', 'Remarks', { maxLength: 2000 })]

/**
 * One archive module from its spec: the same mechanism for all sixteen — the person the
 * entry is about (owner and department follow them), the module's fields, attachments,
 * remarks, review by the responsible office.
 */
export function defineArchiveModule(spec: ArchiveModuleSpec): ArchiveModule {
  const collection = `archive_${spec.key}`
  const staff = { ...COMMON_HEAD[0], ...(spec.single ? { unique: true } : {}) }
  const fields = [staff, ...spec.fields, ...COMMON_TAIL]
  const layout: FormSection[] = spec.sections
    ? [{ fields: ['staffId'], columns: 2 }, ...spec.sections, { fields: ['remark'], columns: 1 }]
    : [{ fields: fields.map((f) => f.name), columns: 2 }]
  const form: FormDefinition = {
    collection,
    label: spec.label,
    fields,
    layout,
    list: { columns: ['staffId', ...spec.listColumns], sort: { createdAt: -1 }, pageSize: 20 }
  }
  return {
    spec,
    form,
    collection: collectionFromForm(form, { subject: { field: 'staffId' }, defaultSort: { createdAt: -1 } })
  }
}
