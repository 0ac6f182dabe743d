import type { CollectionField } from '$lib/api/types'

/** Operators the condition builder offers (the server's query syntax allows these and more). */
export const OPERATORS = [
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$like',
  '$ilike'
] as const
export type Operator = (typeof OPERATORS)[number]
const ALL_OPERATORS = new Set<string>([...OPERATORS, '$or', '$and', '$not', '$notlike'])

/** Values the server binds per user when it applies the filter. */
export const VARIABLES = ['$user.id', '$user.deptId', '$user.deptSubtree'] as const

/** One row of the builder: field, operator, value as typed (lists comma-separated). */
export interface Condition {
  field: string
  op: Operator
  value: string
}

type Filter = Record<string, unknown>
const isObject = (v: unknown): v is Filter => typeof v === 'object' && v !== null && !Array.isArray(v)

function valueText(value: unknown): string | null {
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object') ? value.join(', ') : null
  if (value === null || typeof value === 'object') return null
  return String(value)
}

/** The builder rows for a filter, or null when it needs JSON ($or, nesting, objects). */
export function conditionsFromFilter(filter: Filter | undefined | null): Condition[] | null {
  if (!filter) return []
  const out: Condition[] = []
  for (const [field, spec] of Object.entries(filter)) {
    if (field.startsWith('$')) return null
    const pairs: Array<[string, unknown]> = isObject(spec) ? Object.entries(spec) : [['$eq', spec]]
    for (const [op, value] of pairs) {
      const text = valueText(value)
      if (!(OPERATORS as readonly string[]).includes(op) || text === null) return null
      const list = op === '$in' || op === '$nin'
      if (list ? !(Array.isArray(value) || VARIABLES.includes(value as never)) : Array.isArray(value))
        return null
      out.push({ field, op: op as Operator, value: text })
    }
  }
  return out
}

function typed(text: string, field: CollectionField | undefined): unknown {
  const value = text.trim()
  if (value.startsWith('$user.')) return value
  if (field?.type === 'number' && value !== '' && Number.isFinite(Number(value))) return Number(value)
  if (field?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

/** The Feathers query the builder rows stand for (AND of all rows). */
export function filterFromConditions(conditions: Condition[], fields: CollectionField[]): Filter {
  const out: Filter = {}
  for (const c of conditions) {
    if (!c.field) continue
    const field = fields.find((f) => f.name === c.field)
    const list = c.op === '$in' || c.op === '$nin'
    const value =
      list && !c.value.trim().startsWith('$user.')
        ? c.value
            .split(',')
            .map((v) => typed(v, field))
            .filter((v) => v !== '')
        : typed(c.value, field)
    const current = out[c.field]
    if (c.op === '$eq' && current === undefined) out[c.field] = value
    else
      out[c.field] = {
        ...(isObject(current) ? current : current === undefined ? {} : { $eq: current }),
        [c.op]: value
      }
  }
  return out
}

/** Checks a hand-written filter: an object, known operators, known variables. Returns a message key or null. */
export function checkFilter(value: unknown): string | null {
  if (!isObject(value)) return 'roles.filter_not_object'
  if (!Object.keys(value).length) return 'roles.filter_empty'
  const walk = (v: unknown): string | null => {
    if (typeof v === 'string' && v.startsWith('$user.') && !VARIABLES.includes(v as never))
      return 'roles.filter_bad_variable'
    if (Array.isArray(v)) return v.map(walk).find(Boolean) ?? null
    if (!isObject(v)) return null
    for (const [k, inner] of Object.entries(v)) {
      if (k.startsWith('$') && !ALL_OPERATORS.has(k)) return 'roles.filter_bad_operator'
      const problem = walk(inner)
      if (problem) return problem
    }
    return null
  }
  return walk(value)
}

/** Parses the JSON editor's text: the filter, or the message key of what is wrong. */
export function parseFilterJson(text: string): { ok: true; value: Filter } | { ok: false; error: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, error: 'roles.filter_bad_json' }
  }
  const problem = checkFilter(value)
  return problem ? { ok: false, error: problem } : { ok: true, value: value as Filter }
}
