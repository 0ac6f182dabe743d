import { randomInt } from 'node:crypto'
import { BadRequest } from '@feathersjs/errors'
import type { HookContext, NextFunction } from '@feathersjs/feathers'
import { newId } from '../storage/ids.js'
import type { Credentials } from './credentials.js'
import { FieldErrors } from './field-errors.js'
import type { OrgDirectory } from './org.js'
import { checkPasswordStrength, type PasswordPolicy } from './password-policy.js'
import type { Sessions } from './sessions.js'

export const USER_STATUSES = ['active', 'disabled', 'left'] as const
const USERNAME = /^[A-Za-z0-9_.-]{2,32}$/
type User = Record<string, any>

export interface UserHookDeps {
  credentials: Credentials
  sessions: Sessions
  org: OrgDirectory
  policy: PasswordPolicy
}

function validate(data: User, creating: boolean, policy: PasswordPolicy, external: boolean): void {
  const errs = new FieldErrors()
  if (creating || data.username !== undefined)
    if (typeof data.username !== 'string' || !USERNAME.test(data.username))
      errs.add('username', '工号为2-32位字母、数字或 _ . -', '2–32 letters, digits, _ . -')
  if (creating || data.name !== undefined)
    if (typeof data.name !== 'string' || !data.name.trim() || data.name.length > 50)
      errs.add('name', '姓名必填，不超过50字', 'required, at most 50 characters')
  if (data.status !== undefined && !USER_STATUSES.includes(data.status))
    errs.add('status', '状态应为 在职/停用/离职', `one of ${USER_STATUSES.join(', ')}`)
  if (
    data.roles !== undefined &&
    (!Array.isArray(data.roles) || data.roles.some((r: unknown) => typeof r !== 'string'))
  )
    errs.add('roles', '应为角色编码列表', 'must be a list of role codes')
  if (
    data.email !== undefined &&
    data.email !== '' &&
    (typeof data.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(data.email))
  )
    errs.add('email', '邮箱格式不正确', 'not an e-mail address')
  if (
    data.mobile !== undefined &&
    data.mobile !== '' &&
    (typeof data.mobile !== 'string' || !/^1[3-9]\d{9}$/.test(data.mobile))
  )
    errs.add('mobile', '手机号应为11位', 'must be an 11-digit mainland mobile number')
  if (data.password !== undefined)
    for (const v of checkPasswordStrength(data.password, policy, data.username))
      errs.addReason('password', v.reason)
  if (external && data.lastLoginAt !== undefined)
    errs.add('lastLoginAt', '由系统维护', 'maintained by the system')
  errs.throwIfAny()
}

async function checkReferences(context: HookContext, data: User): Promise<void> {
  const errs = new FieldErrors()
  if (data.deptId) {
    const found = (await context.app
      .service('departments')
      .find({ query: { id: data.deptId, $limit: 1 }, paginate: false })) as User[]
    if (!found.length) errs.add('deptId', '科室不存在', 'no such department')
  }
  if (Array.isArray(data.roles) && data.roles.length) {
    const found = (await context.app
      .service('roles')
      .find({ query: { code: { $in: data.roles } }, paginate: false })) as User[]
    const missing = data.roles.filter((r: string) => !found.some((f) => f.code === r))
    if (missing.length)
      errs.add('roles', `角色不存在：${missing.join('、')}`, `unknown roles: ${missing.join(', ')}`)
  }
  errs.throwIfAny()
}

/** A readable initial password that meets the default policy; shown once to the creator. */
export function generateInitialPassword(): string {
  const pick = (s: string, n: number) => Array.from({ length: n }, () => s[randomInt(s.length)]).join('')
  return (
    pick('ABCDEFGHJKLMNPQRSTUVWXYZ', 2) +
    pick('abcdefghijkmnpqrstuvwxyz', 4) +
    pick('23456789', 3) +
    pick('@#$%', 1)
  )
}

/**
 * Users: validation, passwords kept out of the record (set in `_credentials` as initial
 * passwords that must be changed), and sessions ended when a user is disabled, leaves,
 * is removed or gets a new password.
 */
export function userHooks(deps: UserHookDeps) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    const { method } = context
    if (method === 'create' || method === 'patch' || method === 'update') {
      if (
        method !== 'create' &&
        (context.id === null || context.id === undefined) &&
        context.data?.password !== undefined
      ) {
        throw new BadRequest('请逐个重置密码 (reset passwords one at a time)')
      }
      const items = (Array.isArray(context.data) ? context.data : [context.data]) as User[]
      const passwords = items.map((d) => {
        validate(d, method !== 'patch', deps.policy, !!context.params.provider)
        const pw = d.password as string | undefined
        delete d.password
        if (method === 'create') {
          d.status ??= 'active'
          // A user owns their own record, so the "own" scope reaches it.
          d.id = typeof d.id === 'string' ? d.id : newId()
          d.ownerId = d.id
        }
        return pw
      })
      for (const d of items) await checkReferences(context, d)
      await next()
      const results = (Array.isArray(context.result) ? context.result : [context.result]) as User[]
      const shown: User[] = []
      for (const [i, user] of results.entries()) {
        const given = passwords[method === 'create' ? i : 0]
        // Bulk seeding sets credentials itself, with one hash for all (bcrypt per user is slow).
        const generate =
          method === 'create' && !(context.params as { skipCredentials?: boolean }).skipCredentials
        const password = given ?? (generate ? generateInitialPassword() : undefined)
        if (password) {
          await deps.credentials.setPassword(user.id, password, true)
          if (method !== 'create') await deps.sessions.revokeAll(user.id, 'password reset')
        }
        if (user.status && user.status !== 'active')
          await deps.sessions.revokeAll(user.id, `status ${user.status}`)
        shown.push(method === 'create' && !given ? { ...user, initialPassword: password } : user)
      }
      if (items.some((d) => 'deptId' in d || 'roles' in d)) await deps.org.bump()
      // The creator sees a generated initial password once; the record publisher drops
      // response-only keys, so events never carry it.
      context.result = Array.isArray(context.result) ? shown : shown[0]
      ;(context.params as { responseOnly?: string[] }).responseOnly = ['initialPassword']
      return
    }
    await next()
    if (method === 'remove') {
      for (const user of (Array.isArray(context.result) ? context.result : [context.result]) as User[]) {
        await deps.sessions.revokeAll(user.id, 'removed')
      }
      await deps.org.bump()
    }
  }
}
