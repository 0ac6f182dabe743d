import { BadRequest, NotAuthenticated } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { checkPasswordStrength, type PasswordPolicy } from './password-policy.js'
import type { Credentials } from './credentials.js'
import type { Sessions } from './sessions.js'
import { newTotpSecret, totpUri } from './totp.js'
import { FieldErrors } from './field-errors.js'

type AuthParams = Params & {
  user?: Record<string, any>
  authentication?: { sessionId?: string; restriction?: string | null }
}

export interface AccountDeps {
  app: Application
  credentials: Credentials
  sessions: Sessions
  policy: PasswordPolicy
}

function who(params: AuthParams) {
  if (!params.user) throw new NotAuthenticated('请先登录 (sign in first)')
  return { user: params.user, sessionId: params.authentication?.sessionId }
}

/** `GET /api/account`: who I am and what my session and password need. */
export class AccountService {
  constructor(private readonly deps: AccountDeps) {}

  async find(params: AuthParams) {
    const { user } = who(params)
    const cred = await this.deps.credentials.get(user.id)
    const changedAt = cred?.passwordChangedAt
    // Names for the account page: staff may not read the roles or departments services themselves.
    const roles = (await this.deps.app.service('roles').find({
      query: { code: { $in: user.roles ?? [] }, $select: ['code', 'name'] },
      paginate: false
    })) as Array<{ code: string; name: unknown }>
    const dept = user.deptId
      ? (
          (await this.deps.app.service('departments').find({
            query: { id: user.deptId, $select: ['id', 'name'], $limit: 1 },
            paginate: false
          })) as Array<{ id: string; name: string }>
        )[0]
      : undefined
    return {
      user,
      roles: roles.map((r) => ({ code: r.code, name: r.name })),
      department: dept ? { id: dept.id, name: dept.name } : null,
      restriction: params.authentication?.restriction ?? null,
      totpEnabled: cred?.totpEnabled ?? false,
      passwordExpiresAt:
        changedAt && this.deps.policy.maxAgeDays
          ? new Date(changedAt.getTime() + this.deps.policy.maxAgeDays * 86_400_000).toISOString()
          : null,
      passwordPolicy: {
        minLength: this.deps.policy.minLength,
        minClasses: this.deps.policy.minClasses,
        maxAgeDays: this.deps.policy.maxAgeDays,
        history: this.deps.policy.history
      }
    }
  }
}

/** `POST /api/account/password {currentPassword, newPassword}`: ends every other session. */
export class PasswordService {
  constructor(private readonly deps: AccountDeps) {}

  async create(data: { currentPassword?: unknown; newPassword?: unknown }, params: AuthParams) {
    const { user, sessionId } = who(params)
    const errs = new FieldErrors()
    const cred = await this.deps.credentials.get(user.id)
    if (
      typeof data?.currentPassword !== 'string' ||
      !(await this.deps.credentials.verify(data.currentPassword, cred?.passwordHash ?? null))
    ) {
      errs.add('currentPassword', '当前密码不正确', 'current password is wrong')
    }
    for (const v of checkPasswordStrength(data?.newPassword, this.deps.policy, user.username))
      errs.addReason('newPassword', v.reason)
    errs.throwIfAny()
    if (await this.deps.credentials.reused(cred, data.newPassword as string)) {
      errs
        .add(
          'newPassword',
          `不能与最近${this.deps.policy.history}次密码相同`,
          `must differ from the last ${this.deps.policy.history} passwords`
        )
        .throwIfAny()
    }
    await this.deps.credentials.setPassword(user.id, data.newPassword as string, false)
    await this.deps.sessions.revokeAll(user.id, 'password changed', sessionId)
    if (sessionId) await this.deps.sessions.clearRestriction(sessionId)
    return { changed: true }
  }
}

/**
 * `POST /api/account/totp` with `{action: 'setup'}` (a new secret to scan), `{action:
 * 'enable', code}` (proves the app works) or `{action: 'disable', code, password}`.
 */
export class TotpService {
  constructor(private readonly deps: AccountDeps) {}

  async create(data: { action?: unknown; code?: unknown; password?: unknown }, params: AuthParams) {
    const { user, sessionId } = who(params)
    const cred = await this.deps.credentials.get(user.id)
    if (data?.action === 'setup') {
      if (cred?.totpEnabled) throw new BadRequest('已启用动态验证码 (already enabled)')
      const secret = newTotpSecret()
      await this.deps.credentials.setTotp(user.id, secret, false)
      return { secret, uri: totpUri(secret, user.username) }
    }
    if (data?.action === 'enable') {
      if (!cred?.totpSecret || cred.totpEnabled) throw new BadRequest('请先获取密钥 (run setup first)')
      if (!(await this.deps.credentials.useTotp(user.id, data.code, cred.totpSecret)))
        new FieldErrors().add('code', '验证码不正确', 'wrong code').throwIfAny()
      await this.deps.credentials.setTotp(user.id, cred.totpSecret, true)
      if (sessionId && params.authentication?.restriction === 'totp_enroll')
        await this.deps.sessions.clearRestriction(sessionId)
      return { enabled: true }
    }
    if (data?.action === 'disable') {
      const ok =
        typeof data.password === 'string' &&
        (await this.deps.credentials.verify(data.password, cred?.passwordHash ?? null))
      if (
        !ok ||
        !cred?.totpEnabled ||
        !(await this.deps.credentials.useTotp(user.id, data.code, cred.totpSecret))
      ) {
        new FieldErrors().add('code', '密码或验证码不正确', 'wrong password or code').throwIfAny()
      }
      await this.deps.credentials.setTotp(user.id, null, false)
      return { enabled: false }
    }
    throw new BadRequest('action 应为 setup、enable 或 disable (action must be setup, enable or disable)', {
      errors: [{ field: 'action', reason: 'setup | enable | disable' }]
    })
  }
}
