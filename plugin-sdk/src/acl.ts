/** What a role may do on a collection. Shared by the server and the permission editor. */
export const ACTIONS = [
  'read',
  'create',
  'update',
  'delete',
  'export',
  'import',
  'review',
  'share',
  'unmask',
  'restore'
] as const
export type Action = (typeof ACTIONS)[number]

/**
 * Which rows a grant reaches: the actor's own, the actor's department, the department and
 * everything below it, all, or a custom filter (a Feathers query whose string values may be
 * variables: `$user.id`, `$user.deptId`, `$user.deptSubtree`).
 */
export const SCOPES = ['own', 'dept', 'dept_tree', 'all', 'custom'] as const
export type Scope = (typeof SCOPES)[number]

export interface Grant {
  /** A collection (service path) or `*` for every collection. */
  collection: string
  actions: Action[]
  scope: Scope
  filter?: Record<string, unknown>
  /** Fields this grant lets the actor read; absent = all. */
  readFields?: string[]
  /** Fields this grant lets the actor write; absent = all readable. */
  writeFields?: string[]
}

/** The three separated administrators of 等保2.0 (三权分立). */
export type AdminTier = 'system' | 'security' | 'audit'

export interface RoleDefinition {
  code: string
  name: { 'zh-CN': string; 'en-US'?: string }
  description?: string
  grants: Grant[]
  tier?: AdminTier
  builtin?: boolean
}

/** The caller of a request, resolved once per request by the records pipeline. */
export interface Actor {
  kind: 'user' | 'apikey'
  id: string
  username?: string
  name?: string
  deptId: string | null
  /** The actor's department and all departments below it. */
  deptSubtree: string[]
  roles: string[]
  grants: Grant[]
  tiers: AdminTier[]
}
