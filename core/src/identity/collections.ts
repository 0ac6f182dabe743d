import { defineCollection } from '@medaffairs/plugin-sdk'

/** Departments as a tree of any depth; `path` is the materialized path `/rootId/…/id/`. */
export const departments = defineCollection({
  name: 'departments',
  kind: 'system',
  label: { 'zh-CN': '科室', 'en-US': 'Departments' },
  fields: [
    { name: 'code', type: 'string', filterable: true, sortable: true, unique: true, required: true },
    { name: 'name', type: 'string', filterable: true, sortable: true, required: true },
    { name: 'nameEn', type: 'string' },
    { name: 'type', type: 'string', filterable: true, required: true },
    { name: 'parentId', type: 'string', filterable: true },
    { name: 'path', type: 'string', filterable: true, sortable: true },
    { name: 'depth', type: 'number', filterable: true },
    { name: 'order', type: 'number', sortable: true },
    { name: 'leaderIds', type: 'array', items: 'string', filterable: true },
    { name: 'enabled', type: 'boolean', filterable: true }
  ],
  defaultSort: { path: 1 }
})

/** People who log in. The employee number is the login id; secrets live in `_credentials`. */
export const users = defineCollection({
  name: 'users',
  kind: 'system',
  label: { 'zh-CN': '用户', 'en-US': 'Users' },
  fields: [
    { name: 'username', type: 'string', filterable: true, sortable: true, unique: true, required: true },
    { name: 'name', type: 'string', filterable: true, sortable: true, required: true },
    { name: 'status', type: 'string', filterable: true, required: true },
    { name: 'roles', type: 'array', items: 'string', filterable: true },
    { name: 'positionIds', type: 'array', items: 'string' },
    { name: 'directLeaderId', type: 'string', filterable: true },
    { name: 'staffId', type: 'string', filterable: true },
    { name: 'mobile', type: 'string', sensitive: true },
    { name: 'email', type: 'string' },
    { name: 'titleSeries', type: 'string', filterable: true },
    { name: 'title', type: 'string', filterable: true },
    { name: 'lastLoginAt', type: 'datetime', sortable: true }
  ],
  defaultSort: { username: 1 }
})

export const roles = defineCollection({
  name: 'roles',
  kind: 'security',
  label: { 'zh-CN': '角色', 'en-US': 'Roles' },
  fields: [
    { name: 'code', type: 'string', filterable: true, sortable: true, unique: true, required: true },
    { name: 'name', type: 'object', required: true },
    { name: 'description', type: 'string' },
    { name: 'grants', type: 'json' },
    { name: 'tier', type: 'string', filterable: true },
    { name: 'builtin', type: 'boolean', filterable: true }
  ],
  defaultSort: { code: 1 }
})

/** Posts people hold (科主任, 护士长, 科秘书…), optionally tied to a department. */
export const positions = defineCollection({
  name: 'positions',
  kind: 'system',
  label: { 'zh-CN': '岗位职务', 'en-US': 'Positions' },
  fields: [
    { name: 'code', type: 'string', filterable: true, sortable: true, unique: true, required: true },
    { name: 'name', type: 'string', filterable: true, required: true },
    { name: 'category', type: 'string', filterable: true }
  ]
})

/** Privacy masking rules: which field of which collection is masked how. */
export const maskingRules = defineCollection({
  name: 'masking_rules',
  kind: 'security',
  label: { 'zh-CN': '隐私保护规则', 'en-US': 'Masking rules' },
  fields: [
    { name: 'collection', type: 'string', filterable: true, required: true },
    { name: 'field', type: 'string', filterable: true, required: true },
    { name: 'rule', type: 'object', required: true },
    { name: 'enabled', type: 'boolean', filterable: true }
  ],
  uniques: [['collection', 'field']]
})
