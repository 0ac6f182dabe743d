import type { Application } from '@feathersjs/feathers'
import {
  defineCollection,
  definePlugin,
  type DefinitionVersion,
  type FormDefinition
} from '@medaffairs/plugin-sdk'

/** A module with every storage type, a dotted field, a sensitive field and filter/sort flags. */
export const papers = defineCollection({
  name: 'papers',
  label: { 'zh-CN': '学术论文', 'en-US': 'Papers' },
  fields: [
    {
      name: 'title',
      type: 'string',
      filterable: true,
      sortable: true,
      required: true,
      label: { 'zh-CN': '题目', 'en-US': 'Title' }
    },
    { name: 'level', type: 'string', filterable: true },
    { name: 'score', type: 'number', filterable: true, sortable: true },
    { name: 'published', type: 'date', filterable: true, sortable: true },
    { name: 'reviewedAt', type: 'datetime' },
    { name: 'open', type: 'boolean', filterable: true },
    { name: 'tags', type: 'array', items: 'string', filterable: true },
    { name: 'journal.name', type: 'string', filterable: true },
    { name: 'extra', type: 'object' },
    { name: 'raw', type: 'json' },
    { name: 'idNumber', type: 'string', sensitive: true, filterable: true }
  ]
})
export const trainings = defineCollection({
  name: 'trainings',
  label: { 'zh-CN': '培训', 'en-US': 'Trainings' },
  fields: [{ name: 'topic', type: 'string', filterable: true }]
})
export const archivePlugin = definePlugin({
  name: 'archive',
  version: '1.0.0',
  collections: [papers, trainings]
})

const papersForm: FormDefinition = {
  collection: 'papers',
  label: { 'zh-CN': '学术论文', 'en-US': 'Papers' },
  fields: [
    {
      name: 'title',
      kind: 'text',
      label: { 'zh-CN': '论文题目', 'en-US': 'Paper title' },
      maxLength: 200,
      required: true
    },
    {
      name: 'level',
      kind: 'select',
      label: { 'zh-CN': '期刊级别', 'en-US': 'Journal level' },
      options: [
        { value: 'core', label: { 'zh-CN': '核心' } },
        { value: 'sci', label: { 'zh-CN': 'SCI' } }
      ]
    },
    { name: 'contact', kind: 'mobile', label: { 'zh-CN': '联系电话', 'en-US': 'Phone' }, custom: true }
  ],
  layout: [{ fields: ['title', 'level', 'contact'] }]
}

const version = <T>(
  kind: 'form' | 'flow',
  key: string,
  v: number,
  body: T,
  status: 'published' | 'superseded' = 'published'
): DefinitionVersion<T> => ({
  kind,
  key,
  version: v,
  status,
  body,
  author: null,
  comment: null,
  createdAt: '2026-01-01T00:00:00Z',
  publishedAt: '2026-01-01T00:00:00Z'
})

/**
 * Stand-ins for the definitions and flow services, installed where the workspace has none;
 * a real `definitions` service answers with these rows instead of its own, so the test
 * decides what is published.
 */
export function installStandIns(
  app: Application,
  rows: DefinitionVersion<unknown>[] = [
    version('form', 'papers', 1, { ...papersForm, fields: papersForm.fields.slice(0, 1) }, 'superseded'),
    version('form', 'papers', 2, papersForm),
    version('flow', 'new_technology', 3, { label: { 'zh-CN': '新技术申请', 'en-US': 'New technology' } })
  ]
): void {
  // Paged as the real service answers: at most a few rows per call.
  const find = async (p: { query: { $limit: number; $skip: number } }) => ({
    total: rows.length,
    limit: p.query.$limit,
    skip: p.query.$skip,
    data: rows.slice(p.query.$skip, p.query.$skip + 2)
  })
  const services = (app as unknown as { services: Record<string, unknown> }).services
  if (services.definitions) Object.assign(app.service('definitions'), { find })
  else app.use('definitions', { find } as never, { methods: ['find'] })
  if (!services.flows)
    app.use(
      'flows',
      {
        async find() {
          return []
        },
        async get(id: string) {
          return { key: id }
        }
      } as never,
      { methods: ['find', 'get'] }
    )
  if (!services['flows/start'])
    app.use(
      'flows/start',
      {
        async create(data: unknown) {
          return data
        }
      } as never,
      { methods: ['create'] }
    )
}
