import type { FlowDefinition, FlowEdge, FlowNode, FlowNodeType, FlowProblem } from '@medaffairs/plugin-sdk'
import { validateFlow } from '$lib/sdk'
import { i18n } from '$lib/i18n/i18n.svelte'
import {
  addNode,
  canAdd,
  connect,
  defaultNode,
  insertOnEdge,
  newNodeId,
  problemsByNode,
  removeEdge,
  removeNode,
  type ConnectRefusal,
  type Texts
} from './graph'
import { freeSpot, NODE_W, positions, snap, type Point } from './layout'

const COLUMN = NODE_W + 72

export type Selection = { kind: 'node'; id: string } | { kind: 'edge'; index: number } | null

const labelFor = (type: FlowNodeType): Texts => {
  const texts = i18n.texts(`flowDesigner.type.${type}`)
  return { 'zh-CN': texts['zh-CN'] ?? type, 'en-US': texts['en-US'] ?? type }
}
const snapshot = (def: FlowDefinition) => JSON.stringify(def)

/**
 * The designer's working copy of one flow: the definition being edited, what is selected,
 * the problems the shared validator finds (recomputed on every change), and whether the
 * copy differs from what the server holds.
 */
export class FlowDesigner {
  def = $state<FlowDefinition>() as FlowDefinition
  selection = $state<Selection>(null)
  /** The node an edge is being drawn from (canvas: its port was chosen). */
  connectingFrom = $state<string | null>(null)
  /** The kind the toolbar adds or inserts. */
  kind = $state<FlowNodeType>('approve')
  #saved = $state('')

  readonly problems: FlowProblem[] = $derived(validateFlow(this.def))
  readonly byNode = $derived(problemsByNode(this.problems))
  readonly errorCount = $derived(this.problems.length)
  readonly dirty = $derived(snapshot(this.def) !== this.#saved)
  readonly places: Map<string, Point> = $derived(positions(this.def))
  readonly selectedNode: FlowNode | undefined = $derived(
    this.selection?.kind === 'node'
      ? this.def.nodes.find((n) => n.id === (this.selection as { id: string }).id)
      : undefined
  )
  readonly selectedEdge: FlowEdge | undefined = $derived(
    this.selection?.kind === 'edge' ? this.def.edges[this.selection.index] : undefined
  )

  constructor(def: FlowDefinition) {
    this.def = structuredClone(def)
    this.#saved = snapshot(this.def)
  }

  /** What the server now holds (after loading or saving). */
  markSaved(def?: FlowDefinition): void {
    if (def) this.def = structuredClone(def)
    this.#saved = snapshot(this.def)
  }

  node(id: string): FlowNode | undefined {
    return this.def.nodes.find((n) => n.id === id)
  }

  label(id: string): string {
    const n = this.node(id)
    return (n && i18n.text(n.label, id)) || id
  }

  select(selection: Selection): void {
    this.selection = selection
  }

  /** Adds a node of the toolbar's kind where there is room; answers it (undefined when the kind is full). */
  add(type: FlowNodeType = this.kind): FlowNode | undefined {
    if (!canAdd(this.def, type)) return undefined
    const node = defaultNode(type, newNodeId(this.def, type), labelFor(type))
    node.position = freeSpot(this.places.values())
    addNode(this.def, node)
    this.selection = { kind: 'node', id: node.id }
    return node
  }

  /** Puts a new node of the toolbar's kind on an edge. */
  insert(edgeIndex: number, type: FlowNodeType = this.kind): FlowNode | undefined {
    const edge = this.def.edges[edgeIndex]
    if (!edge || !canAdd(this.def, type)) return undefined
    const node = defaultNode(type, newNodeId(this.def, type), labelFor(type))
    // Laid out automatically, the new node takes its column and pushes the rest right. Placed
    // by hand, it takes the target's place and everything from there moves one column right.
    if (this.def.nodes.some((n) => n.position)) {
      this.pinPositions()
      const at = { ...this.places.get(edge.to)! }
      for (const n of this.def.nodes)
        if (n.position!.x >= at.x) n.position = { x: n.position!.x + COLUMN, y: n.position!.y }
      node.position = at
    }
    insertOnEdge(this.def, edgeIndex, node)
    this.selection = { kind: 'node', id: node.id }
    return node
  }

  remove(id: string): void {
    removeNode(this.def, id)
    if (this.selection?.kind === 'node' && this.selection.id === id) this.selection = null
  }

  connect(from: string, to: string, extra: Partial<FlowEdge> = {}): ConnectRefusal | null {
    const refusal = connect(this.def, from, to, extra)
    if (!refusal) this.selection = { kind: 'edge', index: this.def.edges.length - 1 }
    this.connectingFrom = null
    return refusal
  }

  removeEdge(index: number): void {
    removeEdge(this.def, index)
    this.selection = null
  }

  /** Places a node (dragged, or moved with the arrow keys); positions are kept on the grid. */
  move(id: string, to: Point): void {
    const n = this.node(id)
    if (n) n.position = { x: snap(to.x), y: snap(to.y) }
  }

  /** Stores every node's drawn position, so the layout the administrator saw is the one saved. */
  pinPositions(): void {
    for (const n of this.def.nodes) if (!n.position) n.position = { ...this.places.get(n.id)! }
  }
}
