import { definePlugin, defineCollection } from '@medaffairs/plugin-sdk'
import { refuseRemoveWithChildren, validateDictionary, validateItem } from './hooks.js'
import { seedEnumerations } from './seed.js'
import zhCN from './locale/zh-CN.json' with { type: 'json' }
import enUS from './locale/en-US.json' with { type: 'json' }

const label = { name: 'label', type: 'object' } as const

export const dictionaries = defineCollection({
  name: 'dictionaries',
  kind: 'config',
  label: { 'zh-CN': '字典', 'en-US': 'Dictionaries' },
  fields: [
    { name: 'code', type: 'string', filterable: true, sortable: true, unique: true, required: true },
    { name: 'name', type: 'object', required: true },
    { name: 'tree', type: 'boolean', filterable: true },
    { name: 'system', type: 'boolean' },
    { name: 'description', type: 'string' }
  ],
  defaultSort: { code: 1 }
})

export const dictionaryItems = defineCollection({
  name: 'dictionary_items',
  kind: 'config',
  label: { 'zh-CN': '字典项', 'en-US': 'Dictionary items' },
  fields: [
    { name: 'dictionary', type: 'string', filterable: true, required: true },
    { name: 'code', type: 'string', filterable: true, sortable: true, required: true },
    { ...label, required: true },
    { name: 'parent', type: 'string', filterable: true },
    { name: 'order', type: 'number', sortable: true },
    { name: 'enabled', type: 'boolean', filterable: true },
    { name: 'extra', type: 'object' }
  ],
  uniques: [['dictionary', 'code']],
  defaultSort: { order: 1, code: 1 }
})

/**
 * Editable enumerations (flat or tree): code, zh-CN/en labels, order, enabled. Every
 * select field of every module draws its options from here.
 */
export default definePlugin({
  name: 'dictionaries',
  version: '0.1.0',
  label: { 'zh-CN': '数据字典', 'en-US': 'Dictionaries' },
  description: {
    'zh-CN': '可编辑的枚举值：职称、执业类别、学历、期刊级别等',
    'en-US': 'Editable enumerations: titles, practice categories, education, journal levels…'
  },
  essential: true,
  collections: [dictionaries, dictionaryItems],
  hooks: {
    dictionaries: {
      before: {
        create: [validateDictionary],
        update: [validateDictionary],
        patch: [validateDictionary],
        remove: [refuseRemoveWithChildren]
      }
    },
    'dictionary-items': {
      before: {
        create: [validateItem],
        update: [validateItem],
        patch: [validateItem],
        remove: [refuseRemoveWithChildren]
      }
    }
  },
  seeds: [{ id: '20261125000000-default-enumerations', run: seedEnumerations }],
  i18n: { 'zh-CN': zhCN, 'en-US': enUS },
  menu: [
    {
      path: '/dictionaries',
      collection: 'dictionaries',
      label: { 'zh-CN': '数据字典', 'en-US': 'Dictionaries' },
      icon: 'book',
      group: 'settings',
      order: 90
    }
  ]
})
