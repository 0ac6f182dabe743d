/**
 * The compound filter of a list as a tree (AND/OR groups of conditions, nested to any
 * depth), and its translation to and from a Feathers query (`$and`/`$or`, `$ilike`, `$in`…).
 */

export type FilterKind = 'text' | 'number' | 'date' | 'select' | 'boolean'
export type FilterOp =
  | 'contains'
  | 'eq'
  | 'ne'
  | 'startsWith'
  | 'empty'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'between'
  | 'in'
  | 'nin'
  | 'isTrue'
  | 'isFalse'

export interface FilterOption {
  value: string
  label: string
}

/** A field the builder offers. */
export interface FilterField {
  name: string
  label: string
  kind: FilterKind
  /** select: fixed options, or a dictionary code to load them from. */
  options?: FilterOption[]
  dictionary?: string
}

export interface FilterRule {
  type: 'rule'
  id: string
  field: string
  op: FilterOp
  /** `between`: [from, to]; `in`/`nin`: a list; otherwise one value. */
  value?: unknown
}

export interface FilterGroup {
  type: 'group'
  id: string
  join: 'and' | 'or'
  children: FilterNode[]
}

export type FilterNode = FilterRule | FilterGroup
export type Query = Record<string, unknown>

export const OPERATORS: Record<FilterKind, FilterOp[]> = {
  text: ['contains', 'eq', 'ne', 'startsWith', 'empty'],
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'empty'],
  date: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'empty'],
  select: ['in', 'nin', 'empty'],
  boolean: ['isTrue', 'isFalse']
}

/** Operators that take no value. */
export const NO_VALUE: ReadonlySet<FilterOp> = new Set(['empty', 'isTrue', 'isFalse'])

let counter = 0
export const nodeId = (): string => `f${++counter}`

export function emptyGroup(join: 'and' | 'or' = 'and'): FilterGroup {
  return { type: 'group', id: nodeId(), join, children: [] }
}

export function newRule(field: FilterField | undefined): FilterRule {
  return {
    type: 'rule',
    id: nodeId(),
    field: field?.name ?? '',
    op: field ? OPERATORS[field.kind][0] : 'eq',
    value: undefined
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)
const unescapeLike = (text: string) => text.replace(/\\([\\%_])/g, '$1')
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

function typed(kind: FilterKind | undefined, value: unknown): unknown {
  if (kind === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value)
  return typeof value === 'string' ? value.trim() : value
}

/** One condition as a query fragment, or null while it is incomplete. */
export function ruleQuery(rule: FilterRule, fields: readonly FilterField[]): Query | null {
  if (!rule.field) return null
  const kind = fields.find((f) => f.name === rule.field)?.kind
  const v = rule.value
  const cond = (c: unknown): Query => ({ [rule.field]: c })
  switch (rule.op) {
    case 'empty':
      return cond(kind === 'text' || kind === undefined ? { $in: [null, ''] } : { $eq: null })
    case 'isTrue':
      return cond({ $eq: true })
    case 'isFalse':
      return cond({ $ne: true })
    case 'contains':
      return blank(v) ? null : cond({ $ilike: `%${escapeLike(String(v).trim())}%` })
    case 'startsWith':
      return blank(v) ? null : cond({ $ilike: `${escapeLike(String(v).trim())}%` })
    case 'between': {
      const [from, to] = Array.isArray(v) ? v : []
      if (blank(from) && blank(to)) return null
      return cond({
        ...(blank(from) ? {} : { $gte: typed(kind, from) }),
        ...(blank(to) ? {} : { $lte: typed(kind, to) })
      })
    }
    case 'in':
    case 'nin': {
      const list = (Array.isArray(v) ? v : blank(v) ? [] : [v]).filter((x) => !blank(x))
      return list.length ? cond({ [`$${rule.op}`]: list }) : null
    }
    default:
      return blank(v) ? null : cond({ [`$${rule.op}`]: typed(kind, v) })
  }
}

function nodeQuery(node: FilterNode, fields: readonly FilterField[]): Query | null {
  if (node.type === 'rule') return ruleQuery(node, fields)
  const parts = node.children.map((c) => nodeQuery(c, fields)).filter((q): q is Query => q !== null)
  if (!parts.length) return null
  if (parts.length === 1) return parts[0]
  return { [node.join === 'or' ? '$or' : '$and']: parts }
}

/** The Feathers query of a filter tree: `{}` when it has no complete condition. */
export function toQuery(root: FilterGroup, fields: readonly FilterField[]): Query {
  return nodeQuery(root, fields) ?? {}
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
const rule = (field: string, op: FilterOp, value?: unknown): FilterRule => ({
  type: 'rule',
  id: nodeId(),
  field,
  op,
  value
})

/** The conditions one field's part of a query stands for (`{ $gte, $lte }` is one `between`). */
function fieldRules(field: string, spec: unknown): FilterRule[] {
  if (!isObject(spec) || !Object.keys(spec).some((k) => k.startsWith('$'))) {
    return [
      spec === null
        ? rule(field, 'empty')
        : rule(field, spec === true ? 'isTrue' : 'eq', spec === true ? undefined : spec)
    ]
  }
  const ops = { ...spec }
  const out: FilterRule[] = []
  if ('$gte' in ops && '$lte' in ops) {
    out.push(rule(field, 'between', [ops.$gte, ops.$lte]))
    delete ops.$gte
    delete ops.$lte
  }
  for (const [op, value] of Object.entries(ops)) {
    if (op === '$ilike' || op === '$like') {
      const text = String(value)
      const contains = /^%([\s\S]*)%$/.exec(text)
      if (contains && !/(^|[^\\])(\\\\)*\\$/.test(contains[1]))
        out.push(rule(field, 'contains', unescapeLike(contains[1])))
      else if (text.endsWith('%')) out.push(rule(field, 'startsWith', unescapeLike(text.slice(0, -1))))
      else out.push(rule(field, 'eq', unescapeLike(text)))
    } else if (
      op === '$in' &&
      Array.isArray(value) &&
      value.length === 2 &&
      value.includes(null) &&
      value.includes('')
    ) {
      out.push(rule(field, 'empty'))
    } else if (op === '$eq') {
      out.push(
        value === null
          ? rule(field, 'empty')
          : value === true
            ? rule(field, 'isTrue')
            : rule(field, 'eq', value)
      )
    } else if (op === '$ne' && value === true) out.push(rule(field, 'isFalse'))
    else if (['$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin'].includes(op))
      out.push(rule(field, op.slice(1) as FilterOp, value))
  }
  return out
}

/** The nodes of one query object: its fields and its `$and`/`$or` lists, all joined by AND. */
function parts(query: Record<string, unknown>): FilterNode[] {
  const out: FilterNode[] = []
  for (const [key, value] of Object.entries(query)) {
    if ((key === '$and' || key === '$or') && Array.isArray(value)) {
      const children = value.filter(isObject).flatMap((q) => {
        const inner = parts(q)
        return inner.length === 1 || key === '$and'
          ? inner
          : [{ type: 'group', id: nodeId(), join: 'and', children: inner } as FilterGroup]
      })
      out.push({ type: 'group', id: nodeId(), join: key === '$or' ? 'or' : 'and', children })
    } else if (!key.startsWith('$')) out.push(...fieldRules(key, value))
  }
  return out
}

/** Reads a Feathers query back into a filter tree (paging and sort keys are ignored). */
export function fromQuery(query: unknown): FilterGroup {
  if (!isObject(query)) return emptyGroup()
  const nodes = parts(query)
  if (nodes.length === 1 && nodes[0].type === 'group') return nodes[0]
  return { type: 'group', id: nodeId(), join: 'and', children: nodes }
}

/** How many complete conditions a tree has (for the "筛选 (3)" badge). */
export function countRules(node: FilterNode, fields: readonly FilterField[]): number {
  if (node.type === 'rule') return ruleQuery(node, fields) ? 1 : 0
  return node.children.reduce((n, c) => n + countRules(c, fields), 0)
}
