import { parseIdNumber, PROVINCE_CODES, type FormField } from '@medaffairs/plugin-sdk'
import { r } from './messages.js'
import { sanitizeRichText } from './richtext.js'

/** A check that needs the database, collected while walking the record and run in bulk. */
export interface LookupRequest {
  kind: 'dictionary' | 'cascader' | 'user' | 'department' | 'file' | 'image'
  path: string
  values: string[]
  /** The whole list, when the field holds one: errors point at the failing item's index. */
  list?: string[]
  dictionary?: string
}

export interface CheckContext {
  errors: Map<string, string>
  lookups: LookupRequest[]
  /** Whether `value` of field `f` is new, i.e. not already stored in the record. */
  isNew(f: FormField, value: unknown): boolean
}

/** GB/T 2260 province-level prefixes: the 31 mainland ones, plus 71 台湾, 81 香港, 82 澳门. */
const REGION_PREFIXES: ReadonlySet<string> = new Set([...PROVINCE_CODES, '71', '81', '82'])

function decimals(v: number, precision: number): boolean {
  return Number(v.toFixed(precision)) === v
}

function checkNumber(f: FormField, v: number, path: string, ctx: CheckContext): void {
  const precision = f.precision ?? (f.kind === 'money' ? 2 : undefined)
  if (precision !== undefined && !decimals(v, precision)) {
    ctx.errors.set(
      path,
      precision === 0
        ? r('应为整数', 'must be a whole number')
        : r(`最多${precision}位小数`, `at most ${precision} decimal places`)
    )
  }
}

function checkUrl(v: string, path: string, ctx: CheckContext): void {
  let ok = false
  try {
    const url = new URL(v)
    ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    ok = false
  }
  if (!ok) ctx.errors.set(path, r('应为 http 或 https 链接', 'must be an http or https URL'))
}

function checkIdNumber(v: string, path: string, ctx: CheckContext): string {
  const parsed = parseIdNumber(v)
  if (parsed.ok) return parsed.normalized
  ctx.errors.set(path, r(parsed.reason['zh-CN'], parsed.reason['en-US']))
  return v
}

function requestLookups(f: FormField, v: unknown, path: string, ctx: CheckContext): void {
  const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
  // Values already stored are not looked up again: a record that names a since-disabled
  // option or a departed user can still be edited in its other fields.
  const fresh = f.kind === 'cascader' ? (ctx.isNew(f, v) ? list : []) : list.filter((x) => ctx.isNew(f, x))
  if (!fresh.length) return
  const base = { path, values: fresh, ...(Array.isArray(v) && f.kind !== 'cascader' ? { list } : {}) }
  if ((f.kind === 'select' || f.kind === 'multiselect') && f.dictionary)
    ctx.lookups.push({ ...base, kind: 'dictionary', dictionary: f.dictionary })
  else if (f.kind === 'cascader') ctx.lookups.push({ ...base, kind: 'cascader', dictionary: f.dictionary })
  else if (f.kind === 'user' || f.kind === 'department') ctx.lookups.push({ ...base, kind: f.kind })
  else if (f.kind === 'file' || f.kind === 'images')
    ctx.lookups.push({ ...base, kind: f.kind === 'file' ? 'file' : 'image' })
}

/**
 * The checks a JSON Schema cannot express, on a value that passed the schema. Returns the
 * value to store (ID numbers normalized, rich text sanitized).
 */
export function checkValue(f: FormField, v: unknown, path: string, ctx: CheckContext): unknown {
  switch (f.kind) {
    case 'number':
    case 'money':
    case 'score':
      checkNumber(f, v as number, path, ctx)
      return v
    case 'daterange': {
      const { start, end } = v as { start: string; end?: string | null }
      if (end && start > end)
        ctx.errors.set(`${path}.end`, r('结束日期不能早于开始日期', 'the end must not be before the start'))
      return v
    }
    case 'region':
      if (!REGION_PREFIXES.has((v as string).slice(0, 2)))
        ctx.errors.set(path, r('行政区划代码的省级部分无效', 'unknown province in the region code'))
      return v
    case 'idnumber':
      return checkIdNumber(v as string, path, ctx)
    case 'url':
      checkUrl(v as string, path, ctx)
      return v
    case 'richtext':
      return sanitizeRichText(v as string)
    default:
      requestLookups(f, v, path, ctx)
      return v
  }
}
