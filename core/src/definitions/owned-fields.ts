import { Unprocessable } from '@feathersjs/errors'
import type { CollectionDefinition, FormDefinition } from '@medaffairs/plugin-sdk'
import type { FieldError } from '../identity/field-errors.js'
import type { DefinitionSource } from './types.js'

export interface Ownership {
  /** The collection as its plugin declares it. */
  base?: CollectionDefinition
  /** What the plugin shipped in its form. */
  source: DefinitionSource | null
  /** The published form the new body replaces. */
  current?: FormDefinition
}

/**
 * Fields a plugin owns (it shipped them in its form or declares them on its collection) that
 * the published form carries. Fields it shipped once and the hospital removed before this rule
 * existed stay removed: only what the current form has is protected.
 */
export function ownedFields(o: Ownership): Map<string, string> {
  const plugin = new Set([...(o.source?.fields ?? []), ...(o.base?.fields ?? []).map((f) => f.name)])
  const owned = new Map<string, string>()
  for (const f of o.current?.fields ?? []) if (plugin.has(f.name)) owned.set(f.name, f.kind)
  return owned
}

/**
 * A hospital adds its own fields (自定义属性) to a plugin's form, but the plugin's code reads
 * and writes its own: those cannot be deleted, nor change kind (a select becoming text would
 * break the plugin's reports and flows). Throws 422 naming each such field.
 */
export function checkOwnedFields(form: FormDefinition, o: Ownership): void {
  const owned = ownedFields(o)
  if (!owned.size) return
  const errors: Array<FieldError & { name: string }> = []
  const present = new Map(form.fields.map((f, i) => [f.name, { f, i }]))
  for (const [name, kind] of owned) {
    const now = present.get(name)
    if (!now)
      errors.push({
        field: 'fields',
        name,
        reason: `字段“${name}”由插件提供，不能删除 (field ${name} belongs to the plugin and cannot be deleted)`
      })
    else if (now.f.kind !== kind) {
      errors.push({
        field: `fields.${now.i}.kind`,
        name,
        reason: `字段“${name}”由插件提供，类型不能从 ${kind} 改为 ${now.f.kind} (field ${name} belongs to the plugin: its kind cannot change from ${kind} to ${now.f.kind})`
      })
    }
  }
  if (errors.length)
    throw new Unprocessable('插件字段不能删除或改类型 (plugin fields cannot be deleted or change kind)', {
      errors
    })
}
