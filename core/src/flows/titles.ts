import type { Application, Params } from '@feathersjs/feathers'
import type { Actor, CollectionDefinition } from '@medaffairs/plugin-sdk'
import { SYSTEM_FIELDS } from '@medaffairs/plugin-sdk'
import { permissionFor, withScope } from '../identity/acl.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { Doc } from './types.js'

const SYSTEM = new Set<string>(SYSTEM_FIELDS)

/**
 * The field that names a record in lists: the collection's `titleField`, else its `title`
 * or `name` field, else its first plain text field (not a system column, a link to another record, a nested path or a
 * sensitive value). Null when the collection has none.
 */
export function titleFieldOf(def: CollectionDefinition): string | null {
  if (def.titleField) return def.titleField
  const named = ['title', 'name'].find((n) =>
    def.fields.some((f) => f.name === n && f.type === 'string' && !f.sensitive)
  )
  if (named) return named
  const plain = def.fields.find(
    (f) =>
      f.type === 'string' &&
      !f.sensitive &&
      !SYSTEM.has(f.name) &&
      !f.name.includes('.') &&
      !/Ids?$/.test(f.name)
  )
  return plain?.name ?? null
}

type Ref = { collection?: string; recordId?: string }
const keyOf = (r: Ref) => `${r.collection}/${r.recordId}`

/**
 * The titles of the records the viewer may read (within their scope, and the title field
 * among the fields they may read), by `collection/recordId`. One query per collection,
 * through the collection's service so its scope and storage rules apply.
 */
async function recordTitles(
  app: Application,
  registry: PluginRegistry,
  actor: Actor,
  refs: Ref[]
): Promise<Map<string, string>> {
  const byCollection = new Map<string, Set<string>>()
  for (const r of refs)
    if (r.collection && r.recordId)
      byCollection.set(r.collection, (byCollection.get(r.collection) ?? new Set()).add(r.recordId))
  const titles = new Map<string, string>()
  for (const [collection, ids] of byCollection) {
    const entry = registry.collections.get(collection)
    const field = entry ? titleFieldOf(entry.def) : null
    if (!entry || !field) continue
    const perm = permissionFor(actor, collection, 'read', entry.def.kind ?? 'business')
    if (!perm.allowed || (perm.readFields && !perm.readFields.has(field))) continue
    const query = withScope({ id: { $in: [...ids] }, $select: ['id', field] }, perm.scope)
    const found = (await app.service(entry.path).find({ query, paginate: false } as Params)) as Doc[]
    for (const doc of found)
      if (typeof doc[field] === 'string' && doc[field])
        titles.set(keyOf({ collection, recordId: doc.id }), doc[field])
  }
  return titles
}

/** Inbox task rows: `instance.recordTitle` where the viewer may read the record. */
export async function withRecordTitles(
  app: Application,
  registry: PluginRegistry,
  actor: Actor,
  rows: Doc[]
): Promise<Doc[]> {
  const titles = await recordTitles(
    app,
    registry,
    actor,
    rows.map((r) => (r.instance ?? {}) as Ref)
  )
  return rows.map((r) => {
    const title = r.instance && titles.get(keyOf(r.instance as Ref))
    return title ? { ...r, instance: { ...r.instance, recordTitle: title } } : r
  })
}

/** Instance rows (the `started` box): `recordTitle` where the viewer may read the record. */
export async function withInstanceTitles(
  app: Application,
  registry: PluginRegistry,
  actor: Actor,
  rows: Doc[]
): Promise<Doc[]> {
  const titles = await recordTitles(app, registry, actor, rows as Ref[])
  return rows.map((r) => {
    const title = titles.get(keyOf(r as Ref))
    return title ? { ...r, recordTitle: title } : r
  })
}
