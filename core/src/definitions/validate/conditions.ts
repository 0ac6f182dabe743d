import type { Condition } from '@medaffairs/plugin-sdk'

type Doc = Record<string, any>

/** Empty as a form sees it: nothing, null, blank text, an empty list or a range without a start. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (typeof v === 'string') return v.trim() === ''
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.values(v).every(isEmpty)
  return false
}

/** The value at a dotted path; a path through a list collects from every element. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc]
  for (const segment of path.split('.')) {
    const next: unknown[] = []
    for (const v of current) {
      const items = Array.isArray(v) ? v : [v]
      for (const item of items)
        if (item && typeof item === 'object' && !Array.isArray(item)) next.push((item as Doc)[segment])
    }
    current = next
  }
  return current.flatMap((v) => (Array.isArray(v) && path.includes('.') ? v : [v]))
}

export function valueAt(doc: unknown, path: string): unknown {
  if (!path.includes('.')) return doc && typeof doc === 'object' ? (doc as Doc)[path] : undefined
  const found = valuesAt(doc, path)
  return found.length <= 1 ? found[0] : found
}

const scalarEq = (a: unknown, b: unknown) =>
  a === b || (a !== null && b !== null && a !== undefined && String(a) === String(b) && typeof a !== 'object')

function eq(actual: unknown, expected: unknown): boolean {
  // A multiselect "equals" an option when it contains it: `level eq '1'` reads that way in a form.
  if (Array.isArray(actual) && !Array.isArray(expected)) return actual.some((a) => scalarEq(a, expected))
  return JSON.stringify(actual) === JSON.stringify(expected) || scalarEq(actual, expected)
}

function compare(actual: unknown, expected: unknown): number | undefined {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual < expected ? -1 : actual > expected ? 1 : 0
  return undefined
}

/** Evaluates a visibility or required condition on a record (a sub-table row sees its row first). */
export function evaluate(c: Condition, doc: Doc): boolean {
  if ('all' in c) return c.all.every((x) => evaluate(x, doc))
  if ('any' in c) return c.any.some((x) => evaluate(x, doc))
  const actual = valueAt(doc, c.field)
  const list = Array.isArray(c.value) ? c.value : [c.value]
  switch (c.op) {
    case 'eq':
      return eq(actual, c.value)
    case 'ne':
      return !eq(actual, c.value)
    case 'in':
      return list.some((v) => eq(actual, v))
    case 'nin':
      return !list.some((v) => eq(actual, v))
    case 'empty':
      return isEmpty(actual)
    case 'filled':
      return !isEmpty(actual)
    default: {
      const d = compare(actual, c.value)
      if (d === undefined) return false
      return c.op === 'gt' ? d > 0 : c.op === 'gte' ? d >= 0 : c.op === 'lt' ? d < 0 : d <= 0
    }
  }
}
