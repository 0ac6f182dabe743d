import type { FieldKind } from '@medaffairs/plugin-sdk'

/** The drag data type of the designer: a new field of a kind, or an existing field by name. */
export const DRAG_TYPE = 'application/x-medaffairs-field'

export type DragPayload = { kind: FieldKind } | { name: string }

export function readDrag(event: DragEvent): DragPayload | null {
  try {
    const raw = event.dataTransfer?.getData(DRAG_TYPE)
    const data = raw ? (JSON.parse(raw) as Record<string, unknown>) : null
    if (typeof data?.kind === 'string') return { kind: data.kind as FieldKind }
    if (typeof data?.name === 'string') return { name: data.name }
  } catch {
    // not ours
  }
  return null
}

/** Whether a drag over a drop zone carries our data (its content is hidden until the drop). */
export function isOurDrag(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes(DRAG_TYPE) ?? false
}
