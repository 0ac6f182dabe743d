import type { FormDefinition, FormListSettings } from '@medaffairs/plugin-sdk'
import { defaultColumns } from '$lib/components/records/fields'

/** The list settings the designer edits: the form's, or the list's defaults when it has none. */
export function listSettings(form: FormDefinition): FormListSettings {
  return { ...form.list, columns: form.list?.columns?.length ? [...form.list.columns] : defaultColumns(form) }
}

/** Sets part of the list settings; empty parts are dropped so the stored form stays small. */
export function withList(form: FormDefinition, patch: Partial<FormListSettings>): FormDefinition {
  const list: FormListSettings = { ...listSettings(form), ...patch }
  if (list.sort && !Object.keys(list.sort).length) delete list.sort
  if (list.widths && !Object.keys(list.widths).length) delete list.widths
  for (const key of ['view', 'pageSize'] as const) if (list[key] === undefined) delete list[key]
  return { ...form, list }
}

/** Moves a column one step; unchanged at an edge. */
export function moveColumn(columns: string[], name: string, by: -1 | 1): string[] {
  const i = columns.indexOf(name)
  const j = i + by
  if (i < 0 || j < 0 || j >= columns.length) return columns
  const next = [...columns]
  ;[next[i], next[j]] = [next[j], next[i]]
  return next
}

/** A width in pixels, or undefined to let the table decide (blank or out of 40–800). */
export function widthOf(text: string): number | undefined {
  const n = Math.round(Number(text))
  return text.trim() !== '' && Number.isFinite(n) && n >= 40 && n <= 800 ? n : undefined
}
