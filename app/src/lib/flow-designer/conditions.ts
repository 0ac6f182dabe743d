import type { Condition } from '@medaffairs/plugin-sdk'

/** The operators the engine evaluates on a record (core/src/flows/condition.ts). */
export const OPS = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'empty', 'filled'] as const
export type CondOp = (typeof OPS)[number]

/** One row of the condition editor; `value` is what was typed (a list is comma-separated). */
export interface CondRow {
  field: string
  op: CondOp
  value: string
}

type Leaf = Extract<Condition, { field: string }>
const isLeaf = (c: Condition): c is Leaf => 'field' in c

function leafRow(c: Leaf): CondRow {
  const value = Array.isArray(c.value)
    ? c.value.join(', ')
    : c.value === undefined || c.value === null
      ? ''
      : String(c.value)
  return { field: c.field, op: c.op, value }
}

/** A condition as editor rows (one all/any group of leaves); undefined when it is nested deeper. */
export function fromCondition(
  c: Condition | undefined
): { join: 'all' | 'any'; rows: CondRow[] } | undefined {
  if (!c) return { join: 'all', rows: [] }
  if (isLeaf(c)) return { join: 'all', rows: [leafRow(c)] }
  const list = 'all' in c ? c.all : c.any
  if (!list.every(isLeaf)) return undefined
  return { join: 'all' in c ? 'all' : 'any', rows: list.map(leafRow) }
}

function rowLeaf(r: CondRow): Leaf {
  if (r.op === 'empty' || r.op === 'filled') return { field: r.field, op: r.op }
  if (r.op === 'in' || r.op === 'nin')
    return {
      field: r.field,
      op: r.op,
      value: r.value
        .split(/[,，]/)
        .map((v) => v.trim())
        .filter(Boolean)
    }
  return { field: r.field, op: r.op, value: r.value.trim() }
}

/** Editor rows as a condition; rows without a field are left out; none at all = no condition (the default branch). */
export function toCondition(join: 'all' | 'any', rows: CondRow[]): Condition | undefined {
  const leaves = rows.filter((r) => r.field).map(rowLeaf)
  if (!leaves.length) return undefined
  if (leaves.length === 1) return leaves[0]
  return join === 'all' ? { all: leaves } : { any: leaves }
}
