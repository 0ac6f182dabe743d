import type { FlowDefinition } from '@medaffairs/plugin-sdk'

/** Canvas geometry of the designer: node boxes, automatic placement, edge paths. */
export const NODE_W = 168
export const NODE_H = 56
const GAP_X = 72
const GAP_Y = 40
const MARGIN = 24
const GRID = 8

export interface Point {
  x: number
  y: number
}

export const snap = (v: number): number => Math.max(0, Math.round(v / GRID) * GRID)

/**
 * Columns by the longest path from the start (edges that go back, as a return loop does,
 * are left out), rows in the order nodes appear. Nodes nothing reaches go in a last column.
 */
export function autoLayout(def: FlowDefinition): Map<string, Point> {
  const rank = new Map<string, number>()
  const out = new Map<string, string[]>(def.nodes.map((n) => [n.id, []]))
  for (const e of def.edges) out.get(e.from)?.push(e.to)
  const start = def.nodes.find((n) => n.type === 'start')?.id
  const onPath = new Set<string>()
  const visit = (id: string, depth: number) => {
    if (onPath.has(id) || (rank.get(id) ?? -1) >= depth) return
    rank.set(id, depth)
    onPath.add(id)
    for (const to of out.get(id) ?? []) visit(to, depth + 1)
    onPath.delete(id)
  }
  if (start) visit(start, 0)
  const last = Math.max(-1, ...rank.values()) + 1
  const rows = new Map<number, number>()
  const place = new Map<string, Point>()
  for (const n of def.nodes) {
    const col = rank.get(n.id) ?? last
    const row = rows.get(col) ?? 0
    rows.set(col, row + 1)
    place.set(n.id, { x: MARGIN + col * (NODE_W + GAP_X), y: MARGIN + row * (NODE_H + GAP_Y) })
  }
  return place
}

/** Where each node is drawn: its stored position, else the automatic one. */
export function positions(def: FlowDefinition): Map<string, Point> {
  const auto = autoLayout(def)
  return new Map(def.nodes.map((n) => [n.id, n.position ?? auto.get(n.id)!]))
}

/** A free spot for a new node: right of everything, level with the top. */
export function freeSpot(placed: Iterable<Point>): Point {
  let right = MARGIN - GAP_X - NODE_W
  for (const p of placed) right = Math.max(right, p.x)
  return { x: snap(right + NODE_W + GAP_X), y: MARGIN }
}

/**
 * The path of an edge from box `a` to box `b`: out of a's right side into b's left side;
 * an edge going back (b not right of a) loops below both boxes so it never hides a node.
 */
export function edgePath(a: Point, b: Point): string {
  const sx = a.x + NODE_W
  const sy = a.y + NODE_H / 2
  const tx = b.x
  const ty = b.y + NODE_H / 2
  if (tx >= sx + 16) {
    const mid = (sx + tx) / 2
    return `M${sx},${sy} C${mid},${sy} ${mid},${ty} ${tx},${ty}`
  }
  const below = Math.max(a.y, b.y) + NODE_H + GAP_Y / 2
  return `M${sx},${sy} C${sx + 40},${sy} ${sx + 40},${below} ${sx},${below} L${tx},${below} C${tx - 40},${below} ${tx - 40},${ty} ${tx},${ty}`
}

/** The middle of an edge, where its label goes. */
export function edgeMiddle(a: Point, b: Point): Point {
  if (b.x >= a.x + NODE_W + 16) return { x: (a.x + NODE_W + b.x) / 2, y: (a.y + b.y + NODE_H) / 2 }
  return { x: (a.x + NODE_W + b.x) / 2, y: Math.max(a.y, b.y) + NODE_H + GAP_Y / 2 }
}

/** The canvas size that holds every node. */
export function bounds(placed: Iterable<Point>): { width: number; height: number } {
  let width = 0
  let height = 0
  for (const p of placed) {
    width = Math.max(width, p.x + NODE_W + MARGIN)
    height = Math.max(height, p.y + NODE_H + GAP_Y + MARGIN)
  }
  return { width: Math.max(width, 320), height: Math.max(height, 200) }
}
