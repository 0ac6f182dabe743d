// The one-line field builders are the SDK's; the modules here know them by these short names.
import { formField as field, dictionaryField as pick, type FormField } from '@medaffairs/plugin-sdk'

export { field, pick }

export const when = (fieldName: string, op: 'eq' | 'in', value: unknown) => ({ field: fieldName, op, value })

/** Period fields most modules have. */
export const period = (required = false): FormField[] => [
  field('date', 'startDate', '开始日期', 'Start date', { required, filterable: true, sortable: true }),
  field('date', 'endDate', '结束日期', 'End date', { filterable: true, sortable: true })
]

/** CME credits earned by an entry (rules per activity type compute defaults). */
export const credits = (): FormField[] => [
  pick('creditClass', 'cme_credit_class', '学分类别', 'Credit class'),
  field('number', 'credits', '学分', 'Credits', { min: 0, max: 100, precision: 1, filterable: true })
]

export const images = (zh = '图片资料', en = 'Images'): FormField =>
  field('images', 'images', zh, en, { maxItems: 20 })

/** Blocks several modules share word for word (the label is the only part that varies). */
export const place = (zh: string): FormField => field('text', 'place', zh, 'Place', { maxLength: 100 })
export const activityName = (): FormField =>
  field('text', 'name', '活动名称', 'Activity', { required: true, filterable: true, maxLength: 200 })
export const organizer = (): FormField =>
  field('text', 'organizer', '主办单位', 'Organizer', { maxLength: 100 })
export const certificateNo = (): FormField =>
  field('text', 'certificateNo', '证书编号', 'Certificate number', { maxLength: 50 })
export const validUntil = (): FormField =>
  field('date', 'validUntil', '有效期至', 'Valid until', { filterable: true, sortable: true })
