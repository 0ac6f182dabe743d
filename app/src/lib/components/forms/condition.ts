import type { Condition, FormField } from '@medaffairs/plugin-sdk'

/** The values of the record being edited (or of one sub-table row). */
export type Values = Record<string, unknown>

/** Reads `a.b.2.c` from nested objects and arrays. */
export function getPath(values: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      values
    )
}

/** Nothing entered: null, blank text, an empty list, or an object whose parts are all empty. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.values(value).every(isEmptyValue)
  return false
}

/** Numbers and numeric text compare as numbers (a select stores '1', a condition may say 1). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) {
    return String(a) === String(b)
  }
  return JSON.stringify(a) === JSON.stringify(b)
}

function compare(a: unknown, b: unknown): number | undefined {
  if (isEmptyValue(a) || isEmptyValue(b)) return undefined
  const x = Number(a)
  const y = Number(b)
  if (
    typeof a !== 'boolean' &&
    !Number.isNaN(x) &&
    !Number.isNaN(y) &&
    String(a).trim() !== '' &&
    String(b).trim() !== ''
  )
    return x - y
  const s = String(a)
  const t = String(b)
  return s < t ? -1 : s > t ? 1 : 0
}

/** A list value (multiselect) matches `eq` when it contains the value. */
function equals(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual) && !Array.isArray(expected)) return actual.some((v) => same(v, expected))
  return same(actual, expected)
}

function inList(actual: unknown, list: unknown): boolean {
  const options = Array.isArray(list) ? list : [list]
  if (Array.isArray(actual)) return actual.some((v) => options.some((o) => same(v, o)))
  return options.some((o) => same(actual, o))
}

/**
 * Whether `condition` holds for `values`. Inside a sub-table row a field name is looked up
 * in the row first and then in the whole record (`parent`), so a column can depend on a
 * field of the main form. Unknown operators are false, so a broken rule hides nothing by accident.
 */
export function evaluateCondition(
  condition: Condition | undefined,
  values: Values,
  parent?: Values
): boolean {
  if (!condition) return true
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, values, parent))
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, values, parent))
  const own = getPath(values, condition.field)
  const actual = own === undefined && parent ? getPath(parent, condition.field) : own
  const c = compare(actual, condition.value)
  switch (condition.op) {
    case 'eq':
      return equals(actual, condition.value)
    case 'ne':
      return !equals(actual, condition.value)
    case 'in':
      return inList(actual, condition.value)
    case 'nin':
      return !inList(actual, condition.value)
    case 'gt':
      return c !== undefined && c > 0
    case 'gte':
      return c !== undefined && c >= 0
    case 'lt':
      return c !== undefined && c < 0
    case 'lte':
      return c !== undefined && c <= 0
    case 'empty':
      return isEmptyValue(actual)
    case 'filled':
      return !isEmptyValue(actual)
    default:
      return false
  }
}

/** Whether a field is shown now. */
export function isVisible(field: Pick<FormField, 'visible'>, values: Values, parent?: Values): boolean {
  return evaluateCondition(field.visible, values, parent)
}

/** Whether a field must be filled now (`required` may itself be a condition). */
export function isRequired(field: Pick<FormField, 'required'>, values: Values, parent?: Values): boolean {
  if (typeof field.required === 'boolean' || field.required === undefined) return !!field.required
  return evaluateCondition(field.required, values, parent)
}
