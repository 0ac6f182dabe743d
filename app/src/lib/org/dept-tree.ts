import type { Department } from '$lib/api/types'

export interface DeptNode {
  dept: Department
  children: DeptNode[]
}

const byOrder = (a: Department, b: Department) =>
  (a.order ?? 0) - (b.order ?? 0) || a.code.localeCompare(b.code)

/**
 * Nests departments under their `parentId`, any depth, siblings in `order`. A department
 * whose parent is missing (not readable, or removed) is shown at the top level.
 */
export function buildDeptTree(depts: Department[]): DeptNode[] {
  const nodes = new Map(depts.map((dept) => [dept.id, { dept, children: [] as DeptNode[] }]))
  const roots: DeptNode[] = []
  for (const dept of [...depts].sort(byOrder)) {
    const node = nodes.get(dept.id)!
    const parent = dept.parentId ? nodes.get(dept.parentId) : undefined
    if (parent && parent !== node && !isBelow(depts, dept.parentId!, dept.id)) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Whether `id` lies at or below `ancestor`, by materialized path (falls back to parent links). */
export function isBelow(depts: Department[], id: string, ancestor: string): boolean {
  const byId = new Map(depts.map((d) => [d.id, d]))
  const seen = new Set<string>()
  for (
    let cur = byId.get(id);
    cur && !seen.has(cur.id);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined
  ) {
    if (cur.id === ancestor) return true
    seen.add(cur.id)
  }
  return false
}

/** The department and every department below it. */
export function subtreeIds(depts: Department[], id: string): string[] {
  return depts.filter((d) => isBelow(depts, d.id, id)).map((d) => d.id)
}

export interface DeptOption {
  id: string
  label: string
  depth: number
}

/** Depth-first list for a `<select>`, names indented by depth; `exclude` drops a subtree. */
export function deptOptions(depts: Department[], exclude?: string): DeptOption[] {
  const out: DeptOption[] = []
  const walk = (nodes: DeptNode[], depth: number) => {
    for (const node of nodes) {
      if (node.dept.id === exclude) continue
      out.push({ id: node.dept.id, label: `${'\u3000'.repeat(depth)}${node.dept.name}`, depth })
      walk(node.children, depth + 1)
    }
  }
  walk(buildDeptTree(depts), 0)
  return out
}
