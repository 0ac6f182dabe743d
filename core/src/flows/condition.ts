import type { Condition } from '@medaffairs/plugin-sdk'

type Doc = Record<string, unknown>

function valueAt(doc: Doc, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Doc)[k] : undefined), doc)
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)

/** Form values arrive as text or numbers (a select of levels '1'…'4'); compare them alike. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
  return scalar(a) && scalar(b) && String(a) === String(b)
}

function order(a: unknown, b: unknown): number | null {
  if (isEmpty(a) || isEmpty(b)) return null
  const x = Number(a)
  const y = Number(b)
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y
  return String(a).localeCompare(String(b))
}

function leaf(actual: unknown, op: string, expected: unknown): boolean {
  const list = Array.isArray(expected) ? expected : [expected]
  // A multi-value field matches when any of its values does.
  const values = Array.isArray(actual) ? actual : [actual]
  switch (op) {
    case 'eq':
      return values.some((v) => same(v, expected))
    case 'ne':
      return !values.some((v) => same(v, expected))
    case 'in':
      return values.some((v) => list.some((e) => same(v, e)))
    case 'nin':
      return !values.some((v) => list.some((e) => same(v, e)))
    case 'empty':
      return isEmpty(actual)
    case 'filled':
      return !isEmpty(actual)
    default: {
      const c = order(actual, expected)
      if (c === null) return false
      return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : op === 'lte' ? c <= 0 : false
    }
  }
}

/** Evaluates a form condition against a record (the same language as form visibility rules). */
export function matches(condition: Condition, record: Doc): boolean {
  if ('all' in condition) return condition.all.every((c) => matches(c, record))
  if ('any' in condition) return condition.any.some((c) => matches(c, record))
  return leaf(valueAt(record, condition.field), condition.op, condition.value)
}
