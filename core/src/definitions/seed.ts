import type { FormDefinition, FormField, FormSection, PluginDefinition } from '@medaffairs/plugin-sdk'
import { checkFormBody } from './form-check.js'
import type { Definitions } from './engine.js'
import type { DefinitionSource } from './types.js'

export type SeedOutcome = 'seeded' | 'merged' | 'unchanged'

/**
 * Puts `added` (fields a plugin upgrade ships) into a hospital's form: each goes into the
 * section with the same title as in the shipped form, or into a copy of that section at the
 * end. Nothing of the hospital's form is removed or changed.
 */
export function mergeShipped(
  current: FormDefinition,
  shipped: FormDefinition,
  added: FormField[]
): FormDefinition {
  const layout: FormSection[] = current.layout.map((s) => ({ ...s, fields: [...s.fields] }))
  const appended = new Map<FormSection, FormSection>()
  for (const f of added) {
    const from = shipped.layout.find((s) => s.fields.includes(f.name))
    if (!from) continue
    const title = from.title?.['zh-CN']
    let target = layout.find((s) => title !== undefined && s.title?.['zh-CN'] === title) ?? appended.get(from)
    if (!target) {
      target = { ...from, fields: [] }
      appended.set(from, target)
      layout.push(target)
    }
    target.fields.push(f.name)
  }
  return { ...current, fields: [...current.fields, ...added], layout }
}

function sourceOf(
  plugin: PluginDefinition,
  form: FormDefinition,
  known: Iterable<string> = []
): DefinitionSource {
  const fields = [...new Set([...known, ...form.fields.map((f) => f.name)])].sort()
  return { plugin: plugin.name, pluginVersion: plugin.version, fields }
}

/**
 * Seeds a plugin's form: version 1 when the collection has none; on a plugin upgrade that
 * ships new fields, a new published version with them merged in (also into an open draft).
 * Idempotent: fields the plugin shipped before and the hospital removed are not brought back.
 */
export async function seedForm(
  defs: Definitions,
  plugin: PluginDefinition,
  form: FormDefinition
): Promise<SeedOutcome> {
  const key = form.collection
  const errs = checkFormBody(form, key)
  if (errs.errors.length)
    throw new Error(`Plugin ${plugin.name}: form ${key} is invalid: ${JSON.stringify(errs.errors)}`)
  const staged = await defs.db.transaction(async () => {
    await defs.store.lock('form', key)
    const published = await defs.store.get('form', key, 'published')
    if (!published) {
      const comment = `插件 ${plugin.name} ${plugin.version} 提供 (shipped by plugin ${plugin.name} ${plugin.version})`
      await defs.store.insertPublished({
        kind: 'form',
        key,
        body: form,
        author: null,
        comment,
        source: sourceOf(plugin, form)
      })
      return 'seeded' as const
    }
    const source = await defs.store.source('form', key)
    const known = new Set(source?.fields ?? [])
    const current = published.body as FormDefinition
    const have = new Set(current.fields.map((f) => f.name))
    const added = form.fields.filter((f) => !known.has(f.name) && !have.has(f.name))
    const next = sourceOf(plugin, form, known)
    if (!added.length) {
      if (JSON.stringify(next) !== JSON.stringify(source)) await defs.store.setSource('form', key, next)
      return 'unchanged' as const
    }
    const names = added.map((f) => f.name).join(', ')
    const comment = `插件 ${plugin.name} 升级到 ${plugin.version}，新增字段：${names} (plugin ${plugin.name} upgraded to ${plugin.version}: added ${names})`
    const draft = await defs.store.get('form', key, 'draft')
    if (draft)
      await defs.store.updateDraft('form', key, mergeShipped(draft.body as FormDefinition, form, added), null)
    return defs.stagePublish({
      kind: 'form',
      key,
      body: mergeShipped(current, form, added),
      comment,
      author: null,
      source: next
    })
  })
  if (typeof staged === 'string') return staged
  // At start-up the loader builds the service and its indexes from the merged form itself.
  if (defs.forms.hasService(key)) await staged.after()
  return 'merged'
}
