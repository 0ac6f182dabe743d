import type { Grant, RoleDefinition } from '@medaffairs/plugin-sdk'

const read = (collection: string, scope: Grant['scope'] = 'all'): Grant => ({
  collection,
  actions: ['read'],
  scope
})
const CONFIG_READ = [read('dictionaries'), read('dictionary_items'), read('departments'), read('positions')]
const ALL_BUSINESS: Grant['actions'] = [
  'read',
  'create',
  'update',
  'delete',
  'export',
  'import',
  'review',
  'share',
  'restore'
]

/**
 * The roles a hospital needs on day one. Hospitals edit them (except the three
 * administrators' separation, which the tiers keep) in the permission editor.
 */
export const BUILTIN_ROLES: RoleDefinition[] = [
  {
    code: 'system_admin',
    name: { 'zh-CN': '系统管理员', 'en-US': 'System administrator' },
    description: '管理组织架构、用户、字典与模块；不能查看审计数据，不能分配权限',
    tier: 'system',
    grants: [
      {
        collection: 'departments',
        actions: ['read', 'create', 'update', 'delete', 'import', 'export', 'restore'],
        scope: 'all'
      },
      {
        collection: 'users',
        actions: ['read', 'create', 'update', 'delete', 'import', 'export', 'restore'],
        scope: 'all',
        writeFields: [
          'username',
          'name',
          'status',
          'deptId',
          'positionIds',
          'directLeaderId',
          'staffId',
          'mobile',
          'email',
          'titleSeries',
          'title',
          'password'
        ]
      },
      { collection: 'positions', actions: ['read', 'create', 'update', 'delete'], scope: 'all' },
      { collection: 'dictionaries', actions: ['read', 'create', 'update', 'delete'], scope: 'all' },
      { collection: 'dictionary_items', actions: ['read', 'create', 'update', 'delete'], scope: 'all' },
      read('roles')
    ]
  },
  {
    code: 'security_admin',
    name: { 'zh-CN': '安全管理员', 'en-US': 'Security administrator' },
    description: '管理角色权限、隐私保护规则、用户的角色分配；不能查看业务数据与审计数据',
    tier: 'security',
    grants: [
      { collection: 'roles', actions: ['read', 'create', 'update', 'delete'], scope: 'all' },
      { collection: 'masking_rules', actions: ['read', 'create', 'update', 'delete'], scope: 'all' },
      {
        collection: 'users',
        actions: ['read', 'update'],
        scope: 'all',
        readFields: ['username', 'name', 'status', 'roles'],
        writeFields: ['roles', 'status']
      },
      read('departments')
    ]
  },
  {
    code: 'audit_admin',
    name: { 'zh-CN': '审计管理员', 'en-US': 'Audit administrator' },
    description: '只读审计日志；不能查看业务数据',
    tier: 'audit',
    grants: [
      { collection: 'audit', actions: ['read', 'export'], scope: 'all' },
      { ...read('users'), readFields: ['username', 'name', 'status'] },
      read('departments')
    ]
  },
  {
    code: 'medical_affairs_admin',
    name: { 'zh-CN': '医务管理员', 'en-US': 'Medical-affairs administrator' },
    grants: [
      { collection: '*', actions: [...ALL_BUSINESS, 'unmask'], scope: 'all' },
      ...CONFIG_READ,
      read('users'),
      { collection: 'dictionaries', actions: ['create', 'update'], scope: 'all' },
      { collection: 'dictionary_items', actions: ['create', 'update', 'delete'], scope: 'all' }
    ]
  },
  {
    code: 'dept_head',
    name: { 'zh-CN': '科室主任', 'en-US': 'Department head' },
    grants: [
      { collection: '*', actions: ['read', 'export', 'review'], scope: 'dept_tree' },
      ...CONFIG_READ,
      read('users', 'dept_tree')
    ]
  },
  {
    code: 'dept_secretary',
    name: { 'zh-CN': '科室秘书', 'en-US': 'Department secretary' },
    grants: [
      {
        collection: '*',
        actions: ['read', 'create', 'update', 'delete', 'import', 'export'],
        scope: 'dept_tree'
      },
      ...CONFIG_READ,
      read('users', 'dept_tree')
    ]
  },
  {
    code: 'staff',
    name: { 'zh-CN': '员工', 'en-US': 'Staff member' },
    grants: [
      { collection: '*', actions: ['read', 'create', 'update', 'delete'], scope: 'own' },
      ...CONFIG_READ,
      { ...read('users', 'own') }
    ]
  },
  {
    code: 'expert',
    name: { 'zh-CN': '评审专家', 'en-US': 'Expert reviewer' },
    grants: [...CONFIG_READ, { ...read('users'), readFields: ['username', 'name', 'deptId', 'title'] }]
  },
  {
    code: 'hr',
    name: { 'zh-CN': '人事科', 'en-US': 'Human resources' },
    grants: [
      {
        collection: '*',
        actions: ['read', 'create', 'update', 'delete', 'import', 'export', 'review', 'restore'],
        scope: 'all'
      },
      ...CONFIG_READ,
      read('users')
    ]
  },
  {
    code: 'research_office',
    name: { 'zh-CN': '科研科', 'en-US': 'Research office' },
    grants: [
      { collection: '*', actions: ['read', 'update', 'export', 'review'], scope: 'all' },
      ...CONFIG_READ,
      read('users')
    ]
  }
]
