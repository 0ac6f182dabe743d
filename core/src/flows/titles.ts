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
  const named = ['title', 'name'].find((n) => def.fields.some((f) => f.name === n && f.type === 'string' && !f.sensitive))
  if (named) return named
  const plain = def.fields.find((f) => f.type === 'string' && !f.sensitive && !SYSTEM.has(f.name) && !f.name.includes('.') && !/Ids?$/.test(f.name))
  return plain?.name ?? null
}

/**
 * Adds `instance.recordTitle` to inbox rows whose record the viewer may read (within their
 * scope, and the title field among the fields they may read). One query per collection on
 * the page, through the collection's service so its scope and storage rules apply.
 */
export async function withRecordTitles(app: Application, registry: PluginRegistry, actor: Actor, rows: Doc[]): Promise<Doc[]> {
  const byCollection = new Map<string, Set<string>>()
  for (const r of rows) {
    const i = r.instance as Doc | undefined
    if (i?.collection && i.recordId) byCollection.set(i.collection, (byCollection.get(i.collection) ?? new Set()).add(i.recordId))
  }
  const titles = new Map<string, string>()
  for (const [collection, ids] of byCollection) {
    const entry = registry.collections.get(collection)
    const field = entry ? titleFieldOf(entry.def) : null
    if (!entry || !field) continue
    const perm = permissionFor(actor, collection, 'read', entry.def.kind ?? 'business')
    if (!perm.allowed || (perm.readFields && !perm.readFields.has(field))) continue
    const query = withScope({ id: { $in: [...ids] }, $select: ['id', field] }, perm.scope)
    const found = (await app.service(entry.path).find({ query, paginate: false } as Params)) as Doc[]
    for (const doc of found) if (typeof doc[field] === 'string' && doc[field]) titles.set(`${collection}/${doc.id}`, doc[field])
  }
  return rows.map((r) => {
    const i = r.instance as Doc | undefined
    const title = i && titles.get(`${i.collection}/${i.recordId}`)
    return title ? { ...r, instance: { ...i, recordTitle: title } } : r
  })
}
