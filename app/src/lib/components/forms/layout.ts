import type { FormDefinition, FormField, FormSection } from '@medaffairs/plugin-sdk'

type I18n = { 'zh-CN': string; 'en-US'?: string }

export interface Tab {
  key: string
  title: I18n | null
  sections: Array<FormSection & { items: FormField[] }>
}

/**
 * The form's sections grouped under their tabs (sections without a tab share one untitled
 * tab), each with its fields resolved; fields no section names go to a last section.
 */
export function layoutTabs(form: FormDefinition): Tab[] {
  const byName = new Map(form.fields.map((f) => [f.name, f]))
  const placed = new Set(form.layout.flatMap((s) => s.fields))
  const rest = form.fields.filter((f) => !placed.has(f.name)).map((f) => f.name)
  const sections = rest.length
    ? [...form.layout, { fields: rest, columns: form.layout[0]?.columns ?? 2 } as FormSection]
    : form.layout
  const tabs = new Map<string, Tab>()
  for (const section of sections) {
    const key = section.tab ? JSON.stringify(section.tab) : ''
    if (!tabs.has(key)) tabs.set(key, { key, title: (section.tab as I18n | undefined) ?? null, sections: [] })
    const items = section.fields.map((n) => byName.get(n)).filter((f): f is FormField => !!f)
    tabs.get(key)!.sections.push({ ...section, items })
  }
  return [...tabs.values()]
}

/** The tab that shows a field (for opening it at the first error). */
export function tabOf(tabs: Tab[], fieldName: string): string | undefined {
  return tabs.find((t) => t.sections.some((s) => s.fields.includes(fieldName)))?.key
}

/** Kinds that take a whole row whatever the columns. */
export const WIDE_KINDS: ReadonlySet<string> = new Set(['subtable', 'richtext', 'textarea', 'file', 'images'])
