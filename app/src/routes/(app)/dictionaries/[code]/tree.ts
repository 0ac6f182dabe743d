import type { DictionaryItem } from '$lib/api/types'

export interface TreeNode {
  item: DictionaryItem
  children: TreeNode[]
}

const byOrder = (a: DictionaryItem, b: DictionaryItem) => a.order - b.order || a.code.localeCompare(b.code)

/**
 * Nests items under their `parent` code. An item whose parent is missing (or that would
 * close a cycle) is shown at the top level rather than lost.
 */
export function buildTree(items: DictionaryItem[]): TreeNode[] {
  const nodes = new Map(items.map((item) => [item.code, { item, children: [] as TreeNode[] }]))
  const roots: TreeNode[] = []
  for (const item of [...items].sort(byOrder)) {
    const node = nodes.get(item.code)!
    const parent = item.parent ? nodes.get(item.parent) : undefined
    if (parent && !ancestors(items, item.parent!).includes(item.code)) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** The codes above `code`, nearest first; stops at a cycle. */
export function ancestors(items: DictionaryItem[], code: string): string[] {
  const parentOf = new Map(items.map((i) => [i.code, i.parent]))
  const out: string[] = []
  let next = parentOf.get(code)
  while (next && !out.includes(next) && next !== code) {
    out.push(next)
    next = parentOf.get(next)
  }
  return out
}

/** `code` and every item below it: the parents an item may not be moved under. */
export function subtree(items: DictionaryItem[], code: string): Set<string> {
  return new Set(
    items.filter((i) => i.code === code || ancestors(items, i.code).includes(code)).map((i) => i.code)
  )
}
