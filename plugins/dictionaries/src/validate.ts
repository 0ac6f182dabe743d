import { SYSTEM_FIELDS } from '@medaffairs/plugin-sdk'
import { BadRequest } from '@feathersjs/errors'

export interface FieldError {
  field: string
  reason: string
}

/** Collects field errors and throws them together, so a form can show every one at once. */
export class FieldErrors {
  readonly errors: FieldError[] = []

  add(field: string, reason: string): this {
    this.errors.push({ field, reason })
    return this
  }

  throwIfAny(message = '数据校验未通过 (validation failed)'): void {
    if (this.errors.length) throw new BadRequest(message, { errors: this.errors })
  }
}

const isText = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max

/** Checks an `{ 'zh-CN', 'en-US' }` label; zh-CN is required. */
export function checkLabel(errs: FieldErrors, field: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) errs.add(`${field}.zh-CN`, '必填 (required)')
    return
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errs.add(field, '应为 {"zh-CN": "…", "en-US": "…"} (must be an object with zh-CN and en-US)')
    return
  }
  const label = value as Record<string, unknown>
  if (!isText(label['zh-CN'], 200))
    errs.add(`${field}.zh-CN`, '必填，且不超过200字 (required, at most 200 characters)')
  if (label['en-US'] !== undefined && label['en-US'] !== '' && !isText(label['en-US'], 200)) {
    errs.add(`${field}.en-US`, '不超过200字 (at most 200 characters)')
  }
  const extra = Object.keys(label).filter((k) => k !== 'zh-CN' && k !== 'en-US')
  if (extra.length) errs.add(field, `不支持的语言：${extra.join(', ')} (unsupported languages)`)
}

export function checkCode(
  errs: FieldErrors,
  field: string,
  value: unknown,
  pattern: RegExp,
  required: boolean
): void {
  if (value === undefined) {
    if (required) errs.add(field, '必填 (required)')
    return
  }
  if (typeof value !== 'string' || !pattern.test(value))
    errs.add(field, `格式不正确，应匹配 ${pattern.source} (must match ${pattern.source})`)
}

export function checkType(
  errs: FieldErrors,
  field: string,
  value: unknown,
  type: 'boolean' | 'number'
): void {
  if (value !== undefined && typeof value !== type)
    errs.add(field, `应为${type === 'boolean' ? '是/否' : '数字'} (must be a ${type})`)
}

/** Unknown fields are refused; the record's system fields (owner, department, state) are not data fields. */
export function rejectUnknown(
  errs: FieldErrors,
  data: Record<string, unknown>,
  allowed: readonly string[]
): void {
  const system: readonly string[] = SYSTEM_FIELDS
  for (const key of Object.keys(data))
    if (!allowed.includes(key) && !system.includes(key)) errs.add(key, '未知字段 (unknown field)')
}
