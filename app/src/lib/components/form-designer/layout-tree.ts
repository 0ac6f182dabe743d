import type { FieldKind, FormDefinition, FormField, FormSection } from '@medaffairs/plugin-sdk'

/**
 * Pure edits of a form in the designer: fields and sections added, moved and removed. Every
 * function returns a new form (the old one is the undo point) and keeps `layout` and `fields`
 * consistent: each field is placed in exactly one section.
 */

export type Place = { section: number; index: number }

/** What the designer's property panel shows. */
export type Selection = { field: string } | { section: number } | null

const copyLayout = (form: FormDefinition): FormSection[] =>
  form.layout.map((s) => ({ ...s, fields: [...s.fields] }))

/** Where a field sits in the layout, or undefined when no section names it. */
export function placeOf(form: FormDefinition, name: string): Place | undefined {
  for (let section = 0; section < form.layout.length; section++) {
    const index = form.layout[section].fields.indexOf(name)
    if (index >= 0) return { section, index }
  }
  return undefined
}

/** A name not used by any field: `field1`, `field2`… (the administrator may rename it). */
export function freeName(form: FormDefinition, stem = 'field'): string {
  const taken = new Set(form.fields.map((f) => f.name))
  let n = 1
  while (taken.has(`${stem}${n}`)) n++
  return `${stem}${n}`
}

/** A new field of `kind` with what the server requires of that kind to be valid. */
export function newField(
  kind: FieldKind,
  name: string,
  label: { 'zh-CN': string; 'en-US'?: string }
): FormField {
  const field: FormField = { name, kind, label, custom: true }
  if (kind === 'select' || kind === 'multiselect')
    field.options = [{ value: '1', label: { 'zh-CN': '选项1', 'en-US': 'Option 1' } }]
  if (kind === 'cascader') field.dictionary = 'title_series'
  if (kind === 'subtable')
    field.fields = [{ name: 'item', kind: 'text', label: { 'zh-CN': '项目', 'en-US': 'Item' } }]
  if (kind === 'computed') field.formula = { kind: 'sum', fields: [] }
  if (kind === 'score') field.maxItems = 5
  return field
}

/** Adds a field at `at` (default: the end of the last section; a form without sections gets one). */
export function insertField(form: FormDefinition, field: FormField, at?: Place): FormDefinition {
  const layout = copyLayout(form)
  if (!layout.length) layout.push({ columns: 2, fields: [] })
  const section = Math.min(at?.section ?? layout.length - 1, layout.length - 1)
  const list = layout[section].fields
  list.splice(Math.min(at?.index ?? list.length, list.length), 0, field.name)
  return { ...form, fields: [...form.fields, field], layout }
}

/** Removes a field from the form, its section and the list settings. */
export function deleteField(form: FormDefinition, name: string): FormDefinition {
  const layout = form.layout.map((s) => ({ ...s, fields: s.fields.filter((n) => n !== name) }))
  const list = form.list ? { ...form.list, columns: form.list.columns.filter((c) => c !== name) } : undefined
  if (list?.sort && name in list.sort)
    list.sort = Object.fromEntries(Object.entries(list.sort).filter(([k]) => k !== name))
  if (list?.widths) list.widths = Object.fromEntries(Object.entries(list.widths).filter(([k]) => k !== name))
  return { ...form, fields: form.fields.filter((f) => f.name !== name), layout, ...(list ? { list } : {}) }
}

/** Moves a field to `to` (a drop): `to.index` counts in the target section before the move. */
export function moveFieldTo(form: FormDefinition, name: string, to: Place): FormDefinition {
  const from = placeOf(form, name)
  const layout = copyLayout(form)
  if (!layout[to.section]) return form
  let index = to.index
  if (from) {
    layout[from.section].fields.splice(from.index, 1)
    if (from.section === to.section && from.index < index) index--
  }
  const target = layout[to.section].fields
  target.splice(Math.max(0, Math.min(index, target.length)), 0, name)
  return { ...form, layout }
}

/**
 * One step up or down (the keyboard's way): within the section, and across into the
 * neighbouring section at its edge. Returns the form unchanged at the very top or bottom.
 */
export function moveField(form: FormDefinition, name: string, by: -1 | 1): FormDefinition {
  const from = placeOf(form, name)
  if (!from) return form
  const size = form.layout[from.section].fields.length
  const index = from.index + by
  if (index >= 0 && index < size)
    return moveFieldTo(form, name, { section: from.section, index: by === 1 ? index + 1 : index })
  const section = from.section + by
  if (section < 0 || section >= form.layout.length) return form
  return moveFieldTo(form, name, { section, index: by === 1 ? 0 : form.layout[section].fields.length })
}

/** Whether a field can move one step that way. */
export function canMoveField(form: FormDefinition, name: string, by: -1 | 1): boolean {
  return moveField(form, name, by) !== form
}

export function addSection(
  form: FormDefinition,
  section: Partial<FormSection> = {},
  at = form.layout.length
): FormDefinition {
  const layout = copyLayout(form)
  layout.splice(at, 0, { columns: 2, ...section, fields: [...(section.fields ?? [])] })
  return { ...form, layout }
}

/** Removes a section; its fields join the section before it (or after it, for the first). */
export function deleteSection(form: FormDefinition, index: number): FormDefinition {
  if (form.layout.length <= 1 || !form.layout[index]) return form
  const layout = copyLayout(form)
  const [gone] = layout.splice(index, 1)
  const heir = layout[Math.max(0, index - 1)]
  if (index === 0) heir.fields.unshift(...gone.fields)
  else heir.fields.push(...gone.fields)
  return { ...form, layout }
}

export function moveSection(form: FormDefinition, index: number, by: -1 | 1): FormDefinition {
  const to = index + by
  if (!form.layout[index] || to < 0 || to >= form.layout.length) return form
  const layout = copyLayout(form)
  ;[layout[index], layout[to]] = [layout[to], layout[index]]
  return { ...form, layout }
}

export function updateSection(
  form: FormDefinition,
  index: number,
  patch: Partial<Omit<FormSection, 'fields'>>
): FormDefinition {
  const layout = copyLayout(form)
  const next = { ...layout[index], ...patch }
  for (const key of Object.keys(patch) as Array<keyof typeof patch>)
    if (patch[key] === undefined) delete next[key]
  layout[index] = next
  return { ...form, layout }
}

/** Replaces a field's settings; a rename follows into the layout, the list and conditions' references stay the administrator's. */
export function updateField(form: FormDefinition, name: string, next: FormField): FormDefinition {
  const fields = form.fields.map((f) => (f.name === name ? next : f))
  if (next.name === name) return { ...form, fields }
  const rename = (n: string) => (n === name ? next.name : n)
  const layout = form.layout.map((s) => ({ ...s, fields: s.fields.map(rename) }))
  const list = form.list ? { ...form.list, columns: form.list.columns.map(rename) } : undefined
  return { ...form, fields, layout, ...(list ? { list } : {}) }
}
