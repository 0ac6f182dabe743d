import type { HookContext } from '@feathersjs/feathers'
import { authenticate } from '@feathersjs/authentication'
import { definePlugin, type Db, type PluginDefinition } from '@medaffairs/plugin-sdk'
import type { ActorResolver } from '../records/actor.js'
import type { MaskingRules } from '../records/masking-rules.js'
import { AccountService, PasswordService, TotpService } from './account.js'
import { departments, maskingRules, positions, roles, users } from './collections.js'
import type { Credentials } from './credentials.js'
import {
  beforeCreateDepartment,
  beforeRemoveDepartment,
  bumpOrg,
  departmentMove
} from './department-hooks.js'
import type { OrgDirectory } from './org.js'
import type { PasswordPolicy } from './password-policy.js'
import { PeopleService, peopleAccess } from './people.js'
import { refuseBuiltinRemoval, validateRole } from './roles-hooks.js'
import { IDENTITY_SEEDS } from './seeds.js'
import type { Sessions } from './sessions.js'
import { userHooks } from './user-hooks.js'

export interface IdentityModuleDeps {
  db: Db
  credentials: Credentials
  sessions: Sessions
  org: OrgDirectory
  actors: ActorResolver
  masking: MaskingRules
  policy: PasswordPolicy
}

/** Account services need a signed-in user but accept restricted sessions (forced password change). */
const signedIn = { around: { all: [authenticate('jwt')] } }

/**
 * Identity and organization as a built-in module on the plugin contract: departments,
 * users, roles, positions, masking rules, the account services and their seeds.
 */
export function identityModule(deps: IdentityModuleDeps): PluginDefinition {
  const afterAccessChange = async (_context: HookContext) => {
    await deps.org.bump()
    deps.actors.invalidate()
  }
  const expireMasks = async () => deps.masking.invalidate()
  const account = { credentials: deps.credentials, sessions: deps.sessions, policy: deps.policy }
  return definePlugin({
    name: 'identity',
    version: '0.1.0',
    essential: true,
    label: { 'zh-CN': '组织与权限', 'en-US': 'Organization and permissions' },
    collections: [departments, users, roles, positions, maskingRules],
    hooks: {
      departments: {
        before: {
          create: [beforeCreateDepartment],
          patch: [departmentMove(deps.db)],
          update: [departmentMove(deps.db)],
          remove: [beforeRemoveDepartment]
        },
        after: {
          create: [bumpOrg(deps.org)],
          patch: [bumpOrg(deps.org)],
          update: [bumpOrg(deps.org)],
          remove: [bumpOrg(deps.org)]
        }
      },
      users: { around: { all: [userHooks(deps)] } },
      roles: {
        before: {
          create: [validateRole],
          update: [validateRole],
          patch: [validateRole],
          remove: [refuseBuiltinRemoval]
        },
        after: {
          create: [afterAccessChange],
          update: [afterAccessChange],
          patch: [afterAccessChange],
          remove: [afterAccessChange]
        }
      },
      // Writes only: in cluster mode an invalidation is a message to every other instance.
      'masking-rules': {
        after: { create: [expireMasks], update: [expireMasks], patch: [expireMasks], remove: [expireMasks] }
      }
    },
    services: [
      {
        path: 'account',
        create: (ctx) => new AccountService({ ...account, app: ctx.app }),
        methods: ['find'],
        hooks: signedIn
      },
      {
        path: 'account/password',
        create: (ctx) => new PasswordService({ ...account, app: ctx.app }),
        methods: ['create'],
        hooks: signedIn
      },
      {
        path: 'account/totp',
        create: (ctx) => new TotpService({ ...account, app: ctx.app }),
        methods: ['create'],
        hooks: signedIn
      },
      {
        path: 'people',
        create: (ctx) => new PeopleService(ctx.app, deps.org),
        methods: ['find'],
        hooks: { around: { all: [peopleAccess(deps.actors)] } }
      }
    ],
    seeds: IDENTITY_SEEDS,
    menu: [
      {
        path: '/admin/departments',
        collection: 'departments',
        label: { 'zh-CN': '组织架构', 'en-US': 'Departments' },
        group: 'admin',
        order: 10
      },
      {
        path: '/admin/users',
        collection: 'users',
        action: 'update',
        label: { 'zh-CN': '用户管理', 'en-US': 'Users' },
        group: 'admin',
        order: 20
      },
      {
        path: '/admin/roles',
        collection: 'roles',
        label: { 'zh-CN': '角色权限', 'en-US': 'Roles and permissions' },
        group: 'admin',
        order: 30
      },
      {
        path: '/admin/masking',
        collection: 'masking_rules',
        label: { 'zh-CN': '隐私保护', 'en-US': 'Privacy masking' },
        group: 'admin',
        order: 40
      }
    ]
  })
}
