import type { Condition, FormField } from '@medaffairs/plugin-sdk'

export type Op = Extract<Condition, { field: string }>['op']
export const OPS: readonly Op[] = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'filled', 'empty']
export const NO_VALUE: ReadonlySet<Op> = new Set(['filled', 'empty'])

export interface Rule {
  field: string
  op: Op
  /** As typed: `1` or `1, 2` for in/nin. */
  text: string
}

/** A condition as the editor shows it: one group of simple rules. */
export interface RuleGroup {
  mode: 'all' | 'any'
  rules: Rule[]
}

const NUMERIC = new Set(['number', 'money', 'score', 'year', 'computed'])

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ')
  return value === undefined || value === null ? '' : String(value)
}

function asRule(c: Condition): Rule | null {
  return 'field' in c ? { field: c.field, op: c.op, text: valueText(c.value) } : null
}

/**
 * The editable form of a condition; null when it nests groups (the editor then leaves it as
 * it is rather than flatten the administrator's logic).
 */
export function toGroup(c: Condition | undefined): RuleGroup | null {
  if (!c) return { mode: 'all', rules: [] }
  const list = 'all' in c ? c.all : 'any' in c ? c.any : [c]
  const rules = list.map(asRule)
  if (rules.some((r) => r === null)) return null
  return { mode: 'any' in c ? 'any' : 'all', rules: rules as Rule[] }
}

/** A typed value for the rule's field: numbers for numeric kinds, booleans for yes/no. */
export function parseValue(field: FormField | undefined, op: Op, text: string): unknown {
  const one = (s: string): unknown => {
    const v = s.trim()
    if (field?.kind === 'boolean') return v === 'true' || v === '是'
    if (field && NUMERIC.has(field.kind) && v !== '' && !Number.isNaN(Number(v))) return Number(v)
    return v
  }
  if (op === 'in' || op === 'nin')
    return text
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map(one)
  return one(text)
}

/** The condition to store; undefined when no rule is left. */
export function fromGroup(group: RuleGroup, fields: FormField[]): Condition | undefined {
  const byName = new Map(fields.map((f) => [f.name, f]))
  const rules: Condition[] = group.rules
    .filter((r) => r.field)
    .map((r) =>
      NO_VALUE.has(r.op)
        ? { field: r.field, op: r.op }
        : { field: r.field, op: r.op, value: parseValue(byName.get(r.field), r.op, r.text) }
    )
  if (!rules.length) return undefined
  if (rules.length === 1 && group.mode === 'all') return rules[0]
  return group.mode === 'all' ? { all: rules } : { any: rules }
}
