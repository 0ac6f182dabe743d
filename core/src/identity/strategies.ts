import { NotAuthenticated, TooManyRequests } from '@feathersjs/errors'
import type { Params } from '@feathersjs/feathers'
import {
  AuthenticationBaseStrategy,
  JWTStrategy,
  type AuthenticationRequest,
  type AuthenticationResult
} from '@feathersjs/authentication'
import type { Credentials } from './credentials.js'
import type { RateLimiter, RateLimitRule } from './rate-limit.js'
import type { SessionRestriction, Sessions } from './sessions.js'
import type { AuditLog } from '../audit/audit-log.js'

export interface LoginPolicy {
  maxFailures: number
  lockMinutes: number
  perAccount: RateLimitRule
  perAddress: RateLimitRule
  /** Administrators (system, security, audit) must use a second factor. */
  totpRequiredForAdmins: boolean
}

export interface IdentityDeps {
  credentials: Credentials
  sessions: Sessions
  limiter: RateLimiter
  login: LoginPolicy
  /** Whether a user holds an administrator role (for the second-factor rule). */
  isAdmin(user: Record<string, unknown>): Promise<boolean>
  audit: AuditLog
}

type User = Record<string, any> & { id: string; status: string }

const fail = (zh: string, en: string, data?: Record<string, unknown>) =>
  new NotAuthenticated(`${zh} (${en})`, data)

/**
 * Username (employee number) and password, with native bcrypt, lockout after repeated
 * failures, rate limits per account and per address, and the second factor.
 */
export class PasswordStrategy extends AuthenticationBaseStrategy {
  constructor(private readonly deps: IdentityDeps) {
    super()
  }

  async #limit(key: string, rule: RateLimitRule): Promise<void> {
    const { allowed, retryAfterSeconds } = await this.deps.limiter.hit(key, rule)
    if (!allowed)
      throw new TooManyRequests(
        `登录尝试过于频繁，请${retryAfterSeconds}秒后再试 (too many attempts, retry in ${retryAfterSeconds} s)`,
        { retryAfter: retryAfterSeconds }
      )
  }

  async #findUser(username: string): Promise<User | undefined> {
    const found = (await this.app!.service('users').find({
      query: { username, $limit: 1 },
      paginate: false
    })) as User[]
    return found[0]
  }

  async #restriction(
    user: User,
    mustChange: boolean,
    expired: boolean,
    totpEnabled: boolean
  ): Promise<SessionRestriction> {
    if (mustChange || expired) return 'password_change'
    if (this.deps.login.totpRequiredForAdmins && !totpEnabled && (await this.deps.isAdmin(user)))
      return 'totp_enroll'
    return null
  }

  async authenticate(
    data: AuthenticationRequest,
    params: Params & { ip?: string; userAgent?: string }
  ): Promise<AuthenticationResult> {
    const username = typeof data.username === 'string' ? data.username.trim() : ''
    if (!username || typeof data.password !== 'string')
      throw fail('请输入工号和密码', 'employee number and password are required')
    await this.#limit(`login:address:${params.ip ?? 'internal'}`, this.deps.login.perAddress)
    await this.#limit(`login:account:${username.toLowerCase()}`, this.deps.login.perAccount)
    const user = await this.#findUser(username)
    const cred = user ? await this.deps.credentials.get(user.id) : undefined
    if (cred?.lockedUntil && cred.lockedUntil > new Date()) {
      const minutes = Math.ceil((cred.lockedUntil.getTime() - Date.now()) / 60_000)
      throw fail(`账户已锁定，请${minutes}分钟后再试`, `account locked, retry in ${minutes} min`, {
        locked: true,
        minutes
      })
    }
    const passwordOk = await this.deps.credentials.verify(data.password, cred?.passwordHash ?? null)
    const totpOk =
      !cred?.totpEnabled ||
      data.totp === undefined ||
      (passwordOk && (await this.deps.credentials.useTotp(cred.userId, data.totp, cred.totpSecret)))
    const who = {
      actor: user ? { id: user.id, name: user.name } : { id: null, name: username },
      ip: params.ip ?? null
    }
    if (!user || !cred || !passwordOk || (cred.totpEnabled && data.totp !== undefined && !totpOk)) {
      await this.deps.audit.append([
        { action: 'login_failed', collection: 'users', recordId: user?.id, ...who, diff: { username } }
      ])
      if (user && cred) {
        const { locked, remaining } = await this.deps.credentials.recordFailure(
          user.id,
          this.deps.login.maxFailures,
          this.deps.login.lockMinutes
        )
        if (locked)
          throw fail(
            `密码错误次数过多，账户已锁定${this.deps.login.lockMinutes}分钟`,
            `too many failures, account locked for ${this.deps.login.lockMinutes} min`,
            { locked: true, minutes: this.deps.login.lockMinutes }
          )
        throw fail(
          `工号或密码错误，还可尝试${remaining}次`,
          `wrong employee number or password, ${remaining} attempts left`,
          { remaining }
        )
      }
      throw fail('工号或密码错误', 'wrong employee number or password')
    }
    if (user.status !== 'active') throw fail('账户已停用', 'account disabled', { status: user.status })
    if (cred.totpEnabled && data.totp === undefined)
      throw fail('请输入动态验证码', 'enter the one-time code', { totpRequired: true })
    if (cred.failedCount > 0 || cred.lockedUntil) await this.deps.credentials.recordSuccess(user.id)
    const restriction = await this.#restriction(
      user,
      cred.mustChange,
      this.deps.credentials.isExpired(cred),
      cred.totpEnabled
    )
    const session = await this.deps.sessions.create(user.id, restriction, {
      ip: params.ip,
      userAgent: params.userAgent
    })
    await this.deps.audit.append([
      {
        action: 'login',
        collection: 'users',
        recordId: user.id,
        ...who,
        diff: { sessionId: session.id, restriction }
      }
    ])
    // The login entry above records this; no separate patch entry.
    await this.app!.service('users').patch(user.id, { lastLoginAt: new Date().toISOString() }, {
      audit: false
    } as Params)
    return { authentication: { strategy: this.name!, sessionId: session.id, restriction }, user }
  }
}

/** A JWT is valid only while its server-side session lives and its user is active. */
export class SessionJwtStrategy extends JWTStrategy {
  constructor(private readonly sessions: Sessions) {
    super()
  }

  override async getEntity(id: string): Promise<User> {
    try {
      return (await this.entityService.get(id)) as User
    } catch {
      throw fail('账户不存在', 'no such account')
    }
  }

  override async authenticate(authentication: AuthenticationRequest, params: Params): Promise<any> {
    const result = (await super.authenticate(authentication, params)) as AuthenticationResult &
      Awaited<ReturnType<JWTStrategy['authenticate']>>
    const sid = result.authentication?.payload?.sid as string | undefined
    const session = sid ? await this.sessions.validate(sid) : undefined
    if (!session) throw fail('登录已失效，请重新登录', 'session ended, sign in again', { sessionEnded: true })
    const user = result.user as User
    if (user.status !== 'active') {
      await this.sessions.revoke(session.id, 'user not active')
      throw fail('账户已停用', 'account disabled')
    }
    return {
      ...result,
      authentication: { ...result.authentication, sessionId: session.id, restriction: session.restriction }
    }
  }
}
