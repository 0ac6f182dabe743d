import { SvelteSet } from 'svelte/reactivity'
import type { Department } from '$lib/api/types'
import { isBelow } from '$lib/org/dept-tree'

/** The tree page's UI state: folded nodes, the open dialog, and the drag in progress. */
export class DeptPageState {
  collapsed = new SvelteSet<string>()
  editing = $state<{ dept: Department | null; parentId: string | null } | null>(null)
  moving = $state<Department | null>(null)
  removing = $state<Department | null>(null)
  /** The department being dragged, and the one under the pointer (or 'root'). */
  dragging = $state<Department | null>(null)
  dropTarget = $state<string | null>(null)

  toggle(id: string): void {
    if (this.collapsed.has(id)) this.collapsed.delete(id)
    else this.collapsed.add(id)
  }

  /** A drop is allowed anywhere except on the dragged department, its subtree, or its parent. */
  canDrop(all: Department[], targetId: string | null): boolean {
    const dragged = this.dragging
    if (!dragged) return false
    if (targetId === null) return dragged.parentId !== null
    return targetId !== dragged.parentId && !isBelow(all, targetId, dragged.id)
  }

  endDrag(): void {
    this.dragging = null
    this.dropTarget = null
  }
}
