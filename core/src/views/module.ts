import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import {
  defineCollection,
  definePlugin,
  type CollectionDefinition,
  type PluginDefinition
} from '@medaffairs/plugin-sdk'
import { translateQuery } from '../storage/index.js'

/**
 * Saved views of a list: a compound filter (AND/OR groups as a Feathers query), a sort and
 * columns; private to their owner or shared with everyone who may read the collection.
 */
export const savedViews = defineCollection({
  name: 'saved_views',
  kind: 'system',
  label: { 'zh-CN': '保存的视图', 'en-US': 'Saved views' },
  fields: [
    { name: 'collection', type: 'string', filterable: true, required: true },
    { name: 'name', type: 'string', sortable: true, required: true },
    { name: 'filter', type: 'json' },
    { name: 'sort', type: 'json' },
    { name: 'columns', type: 'array', items: 'string' },
    { name: 'shared', type: 'boolean', filterable: true }
  ],
  everyone: [
    { actions: ['read', 'create', 'update', 'delete'], scope: 'own' },
    { actions: ['read'], scope: 'custom', filter: { shared: true } }
  ]
})

type Doc = Record<string, any>

/** A view must name a known collection, and its filter and sort must be valid queries of it. */
function validateView(definitionOf: (name: string) => CollectionDefinition | undefined) {
  return async (context: HookContext): Promise<void> => {
    const data = context.data as Doc
    const existing =
      context.id !== null && context.id !== undefined
        ? ((await context.service.get(context.id)) as Doc)
        : undefined
    const errors: Array<{ field: string; reason: string }> = []
    const collection = data.collection ?? existing?.collection
    const def = definitionOf(String(collection))
    if (!def) errors.push({ field: 'collection', reason: '没有该数据表 (no such collection)' })
    if (
      (context.method === 'create' || data.name !== undefined) &&
      (typeof data.name !== 'string' || !data.name.trim() || data.name.length > 60)
    ) {
      errors.push({ field: 'name', reason: '名称必填，不超过60字 (required, at most 60 characters)' })
    }
    if (
      data.columns !== undefined &&
      (!Array.isArray(data.columns) || data.columns.some((c: unknown) => typeof c !== 'string'))
    )
      errors.push({ field: 'columns', reason: '应为字段名列表 (a list of field names)' })
    if (def && (data.filter !== undefined || data.sort !== undefined)) {
      try {
        translateQuery({ ...(data.filter ?? {}), ...(data.sort ? { $sort: data.sort } : {}) }, def)
      } catch (error) {
        errors.push({
          field: data.filter !== undefined ? 'filter' : 'sort',
          reason: (error as Error).message
        })
      }
    }
    if (errors.length) throw new BadRequest('视图设置不正确 (invalid view)', { errors })
    if (context.method === 'create') data.shared ??= false
  }
}

export function viewsModule(
  definitionOf: (name: string) => CollectionDefinition | undefined
): PluginDefinition {
  const validate = validateView(definitionOf)
  return definePlugin({
    name: 'views',
    version: '0.1.0',
    essential: true,
    label: { 'zh-CN': '视图与筛选', 'en-US': 'Views and filters' },
    collections: [savedViews],
    hooks: { 'saved-views': { before: { create: [validate], patch: [validate], update: [validate] } } }
  })
}
