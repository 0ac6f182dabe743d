import { defineCollection } from '@medaffairs/plugin-sdk'

/** Departments as a tree of any depth; `path` is the materialized path `/rootId/…/id/`. */
export const departments = defineCollection({
  name: 'departments',
  kind: 'system',
  label: { 'zh-CN': '科室', 'en-US': 'Departments' },
  fields: [
    {
      name: 'code',
      type: 'string',
      filterable: true,
      sortable: true,
      unique: true,
      required: true,
      label: { 'zh-CN': '编码', 'en-US': 'Code' }
    },
    {
      name: 'name',
      type: 'string',
      filterable: true,
      sortable: true,
      required: true,
      label: { 'zh-CN': '名称', 'en-US': 'Name' }
    },
    { name: 'nameEn', type: 'string', label: { 'zh-CN': '英文名称', 'en-US': 'English name' } },
    {
      name: 'type',
      type: 'string',
      filterable: true,
      required: true,
      label: { 'zh-CN': '类型', 'en-US': 'Type' }
    },
    { name: 'parentId', type: 'string', filterable: true, label: { 'zh-CN': '上级', 'en-US': 'Parent' } },
    {
      name: 'path',
      type: 'string',
      filterable: true,
      sortable: true,
      label: { 'zh-CN': '路径', 'en-US': 'Path' }
    },
    { name: 'depth', type: 'number', filterable: true, label: { 'zh-CN': '层级', 'en-US': 'Depth' } },
    { name: 'order', type: 'number', sortable: true, label: { 'zh-CN': '排序', 'en-US': 'Order' } },
    {
      name: 'leaderIds',
      type: 'array',
      items: 'string',
      filterable: true,
      label: { 'zh-CN': '负责人', 'en-US': 'Leaders' }
    },
    { name: 'enabled', type: 'boolean', filterable: true, label: { 'zh-CN': '启用', 'en-US': 'Enabled' } }
  ],
  defaultSort: { path: 1 }
})

/** People who log in. The employee number is the login id; secrets live in `_credentials`. */
export const users = defineCollection({
  name: 'users',
  kind: 'system',
  label: { 'zh-CN': '用户', 'en-US': 'Users' },
  fields: [
    {
      name: 'username',
      type: 'string',
      filterable: true,
      sortable: true,
      unique: true,
      required: true,
      label: { 'zh-CN': '工号', 'en-US': 'Employee number' }
    },
    {
      name: 'name',
      type: 'string',
      filterable: true,
      sortable: true,
      required: true,
      label: { 'zh-CN': '名称', 'en-US': 'Name' }
    },
    {
      name: 'status',
      type: 'string',
      filterable: true,
      required: true,
      label: { 'zh-CN': '状态', 'en-US': 'Status' }
    },
    {
      name: 'roles',
      type: 'array',
      items: 'string',
      filterable: true,
      label: { 'zh-CN': '角色', 'en-US': 'Roles' }
    },
    { name: 'positionIds', type: 'array', items: 'string', label: { 'zh-CN': '岗位', 'en-US': 'Positions' } },
    {
      name: 'directLeaderId',
      type: 'string',
      filterable: true,
      label: { 'zh-CN': '直接上级', 'en-US': 'Direct leader' }
    },
    {
      name: 'staffId',
      type: 'string',
      filterable: true,
      label: { 'zh-CN': '人员档案', 'en-US': 'Staff record' }
    },
    { name: 'mobile', type: 'string', sensitive: true, label: { 'zh-CN': '手机号码', 'en-US': 'Mobile' } },
    { name: 'email', type: 'string', label: { 'zh-CN': '电子邮箱', 'en-US': 'E-mail' } },
    {
      name: 'titleSeries',
      type: 'string',
      filterable: true,
      label: { 'zh-CN': '职称系列', 'en-US': 'Title series' }
    },
    { name: 'title', type: 'string', filterable: true, label: { 'zh-CN': '职称', 'en-US': 'Title' } },
    {
      name: 'lastLoginAt',
      type: 'datetime',
      sortable: true,
      label: { 'zh-CN': '最近登录', 'en-US': 'Last login' }
    }
  ],
  defaultSort: { username: 1 }
})

export const roles = defineCollection({
  name: 'roles',
  kind: 'security',
  label: { 'zh-CN': '角色', 'en-US': 'Roles' },
  fields: [
    {
      name: 'code',
      type: 'string',
      filterable: true,
      sortable: true,
      unique: true,
      required: true,
      label: { 'zh-CN': '编码', 'en-US': 'Code' }
    },
    { name: 'name', type: 'object', required: true, label: { 'zh-CN': '名称', 'en-US': 'Name' } },
    { name: 'description', type: 'string', label: { 'zh-CN': '说明', 'en-US': 'Description' } },
    { name: 'grants', type: 'json', label: { 'zh-CN': '权限', 'en-US': 'Grants' } },
    {
      name: 'tier',
      type: 'string',
      filterable: true,
      label: { 'zh-CN': '三员类型', 'en-US': 'Administrator tier' }
    },
    { name: 'builtin', type: 'boolean', filterable: true, label: { 'zh-CN': '内置', 'en-US': 'Built-in' } }
  ],
  defaultSort: { code: 1 }
})

/** Posts people hold (科主任, 护士长, 科秘书…), optionally tied to a department. */
export const positions = defineCollection({
  name: 'positions',
  kind: 'system',
  label: { 'zh-CN': '岗位职务', 'en-US': 'Positions' },
  fields: [
    {
      name: 'code',
      type: 'string',
      filterable: true,
      sortable: true,
      unique: true,
      required: true,
      label: { 'zh-CN': '编码', 'en-US': 'Code' }
    },
    {
      name: 'name',
      type: 'string',
      filterable: true,
      required: true,
      label: { 'zh-CN': '名称', 'en-US': 'Name' }
    },
    { name: 'category', type: 'string', filterable: true, label: { 'zh-CN': '类别', 'en-US': 'Category' } }
  ]
})

/** Privacy masking rules: which field of which collection is masked how. */
export const maskingRules = defineCollection({
  name: 'masking_rules',
  kind: 'security',
  label: { 'zh-CN': '隐私保护规则', 'en-US': 'Masking rules' },
  fields: [
    {
      name: 'collection',
      type: 'string',
      filterable: true,
      required: true,
      label: { 'zh-CN': '数据表', 'en-US': 'Collection' }
    },
    {
      name: 'field',
      type: 'string',
      filterable: true,
      required: true,
      label: { 'zh-CN': '字段', 'en-US': 'Field' }
    },
    { name: 'rule', type: 'object', required: true, label: { 'zh-CN': '规则', 'en-US': 'Rule' } },
    { name: 'enabled', type: 'boolean', filterable: true, label: { 'zh-CN': '启用', 'en-US': 'Enabled' } }
  ],
  uniques: [['collection', 'field']]
})
