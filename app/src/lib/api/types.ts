import type { Paginated } from '@feathersjs/feathers'
import type { Person } from '@medaffairs/plugin-sdk'
import type { I18nText, Messages, Locale } from '$lib/i18n/i18n.svelte'

/**
 * The shapes core sends. They mirror core's service schemas; when core publishes
 * `*.shared.ts` client typings through plugin-sdk, these give way to those.
 */

export interface MenuItem {
  path: string
  label: I18nText
  icon?: string
  group?: string
  order?: number
}

export interface ManifestPlugin {
  name: string
  version: string
  label: I18nText
  description?: I18nText
  enabled: boolean
  essential: boolean
  menu: MenuItem[]
}

export interface Manifest {
  plugins: ManifestPlugin[]
  messages: Partial<Record<Locale, Messages>>
}

export interface PluginInfo {
  name: string
  version: string
  label: I18nText
  description?: I18nText
  enabled: boolean
  essential: boolean
  requires: string[]
}

export interface Dictionary {
  id: string
  code: string
  name: I18nText
  tree: boolean
  description?: I18nText | string
}

export interface DictionaryItem {
  id: string
  dictionary: string
  code: string
  label: I18nText
  parent: string | null
  order: number
  enabled: boolean
}

export type DictionaryItemData = Omit<DictionaryItem, 'id'>

export type { Action, Grant, Scope, MaskKind, MaskRule } from '@medaffairs/plugin-sdk'
import type { Action, Grant, MaskRule } from '@medaffairs/plugin-sdk'

/** System fields every record carries. */
export interface RecordBase {
  id: string
  ownerId?: string | null
  deptId?: string | null
  createdAt?: string
  updatedAt?: string
  rev?: number
}

export type SessionRestriction = 'password_change' | 'totp_enroll' | null

export type UserStatus = 'active' | 'disabled' | 'left'

export interface User extends RecordBase {
  username: string
  name: string
  status: UserStatus
  roles?: string[]
  positionIds?: string[]
  directLeaderId?: string | null
  mobile?: string
  email?: string
  titleSeries?: string
  title?: string
  lastLoginAt?: string
  /** Only in the answer to a create without a password: shown once to the creator. */
  initialPassword?: string
}

export interface PasswordPolicy {
  minLength: number
  minClasses: number
  maxAgeDays: number
  history: number
}

/** `GET /api/account`. */
export interface Account {
  user: User
  restriction: SessionRestriction
  totpEnabled: boolean
  passwordExpiresAt: string | null
  passwordPolicy: PasswordPolicy
}

/** `POST /api/authentication` (local strategy). */
export interface LoginResult {
  accessToken: string
  user: User
  authentication: { restriction?: SessionRestriction }
}

export type DepartmentType = 'clinical' | 'medtech' | 'functional' | 'administrative'
export const DEPARTMENT_TYPES: DepartmentType[] = ['clinical', 'medtech', 'functional', 'administrative']

export interface Department extends RecordBase {
  code: string
  name: string
  nameEn?: string
  type: DepartmentType
  parentId: string | null
  path: string
  depth: number
  order: number
  leaderIds: string[]
  enabled: boolean
}

export interface Role extends RecordBase {
  code: string
  name: I18nText
  description?: string
  tier?: 'system' | 'security' | 'audit' | null
  builtin?: boolean
  grants: Grant[]
}

export interface CollectionField {
  name: string
  type: string
  items?: string
  filterable?: boolean
  sortable?: boolean
  required?: boolean
  sensitive?: boolean
  label?: I18nText
}

/** `GET /api/collections`: a definition and what the caller may do on it. */
export interface CollectionInfo {
  name: string
  kind?: 'business' | 'config' | 'system' | 'security' | 'audit'
  label?: I18nText
  fields: CollectionField[]
  path: string
  plugin: string
  permissions: Record<Action, boolean>
}

export interface MaskingRuleRecord extends RecordBase {
  collection: string
  field: string
  rule: MaskRule
  enabled: boolean
}

export interface Position extends RecordBase {
  code: string
  name: string
  category?: string
}

/** Service paths as core registers them (socket.io) and as REST serves them under /api. */
export interface ServiceTypes {
  plugins: PluginInfo
  dictionaries: Dictionary
  'dictionary-items': DictionaryItem
  departments: Department
  users: User
  people: Person
  roles: Role
  positions: Position
  'masking-rules': MaskingRuleRecord
  'account/password': { currentPassword?: string; newPassword?: string; changed?: boolean }
  'account/totp': {
    action?: string
    code?: string
    password?: string
    secret?: string
    uri?: string
    enabled?: boolean
  }
}

export type { Paginated, Person }
