import type { FieldKind, FormField } from '@medaffairs/plugin-sdk'

/** Every reason is "中文 (English)": a form shows it as is, whatever the locale. */
export const r = (zh: string, en: string) => `${zh} (${en})`

export const REQUIRED = r('必填', 'required')
export const UNKNOWN_FIELD = r('未知字段', 'unknown field')
export const BAD_ROW = r('每行应为对象', 'each row must be an object')

const TEXT = r('应为文本', 'must be text')
const LIST = r('应为列表', 'must be a list')
const NUMBER = r('应为数字', 'must be a number')

const TYPE_REASON: Record<FieldKind, string> = {
  text: TEXT,
  textarea: TEXT,
  richtext: TEXT,
  select: TEXT,
  region: TEXT,
  user: TEXT,
  department: TEXT,
  idnumber: TEXT,
  mobile: TEXT,
  email: TEXT,
  url: TEXT,
  number: NUMBER,
  money: NUMBER,
  score: NUMBER,
  computed: NUMBER,
  year: r('应为1900–2100之间的年份', 'must be a year from 1900 to 2100'),
  date: r('应为 YYYY-MM-DD 格式的日期', 'must be a date as YYYY-MM-DD'),
  daterange: r('应为 {start, end} 日期区间', 'must be a date range {start, end}'),
  multiselect: LIST,
  cascader: LIST,
  file: r('应为文件编号列表', 'must be a list of file ids'),
  images: r('应为图片文件编号列表', 'must be a list of image file ids'),
  boolean: r('应为是或否', 'must be true or false'),
  subtable: r('应为行的列表', 'must be a list of rows')
}

const FORMAT_REASON: Partial<Record<FieldKind, string>> = {
  mobile: r('应为11位手机号码', 'must be an 11-digit mainland mobile number'),
  region: r('应为6位行政区划代码', 'must be a 6-digit GB/T 2260 region code'),
  email: r('邮箱格式不正确', 'invalid email address'),
  date: TYPE_REASON.date,
  year: TYPE_REASON.year
}

export const typeReason = (kind: FieldKind) => TYPE_REASON[kind]

/** The reason for an ajv error on a field, worded for the field's kind. */
export function schemaReason(field: FormField, keyword: string, params: Record<string, any>): string {
  switch (keyword) {
    case 'type':
    case 'required':
    case 'additionalProperties':
      return typeReason(field.kind)
    case 'minimum':
      return field.kind === 'year' && field.min === undefined
        ? TYPE_REASON.year
        : r(`不能小于${params.limit}`, `must be at least ${params.limit}`)
    case 'maximum':
      return field.kind === 'year' && field.max === undefined
        ? TYPE_REASON.year
        : r(`不能大于${params.limit}`, `must be at most ${params.limit}`)
    case 'minLength':
      return r(`至少${params.limit}个字符`, `at least ${params.limit} characters`)
    case 'maxLength':
      return r(`最多${params.limit}个字符`, `at most ${params.limit} characters`)
    case 'maxItems':
      return r(`最多${params.limit}项`, `at most ${params.limit} items`)
    case 'minItems':
      return r(`至少${params.limit}项`, `at least ${params.limit} items`)
    case 'uniqueItems':
      return r('有重复的值', 'duplicate values')
    case 'enum':
      return r('不是可选的值', 'not one of the options')
    case 'pattern':
      if (field.patternMessage && field.pattern)
        return r(
          field.patternMessage['zh-CN'],
          field.patternMessage['en-US'] ?? field.patternMessage['zh-CN']
        )
      return FORMAT_REASON[field.kind] ?? r('格式不正确', 'invalid format')
    case 'format':
      return FORMAT_REASON[field.kind] ?? r('格式不正确', 'invalid format')
    default:
      return r('值不正确', 'invalid value')
  }
}
