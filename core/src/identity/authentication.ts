import { NotAuthenticated } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { AuthenticationService, type AuthenticationResult } from '@feathersjs/authentication'
import type { IdentityDeps } from './strategies.js'
import { PasswordStrategy, SessionJwtStrategy } from './strategies.js'

export interface AuthSettings {
  secret: string
  sessionHours: number
}

/** Logs in (`POST /api/authentication`) and out (`DELETE /api/authentication/:token`). */
class SessionAuthenticationService extends AuthenticationService {
  constructor(
    app: Application,
    private readonly deps: IdentityDeps
  ) {
    super(app)
  }

  override async getPayload(authResult: AuthenticationResult, params: Params) {
    const payload = await super.getPayload(authResult, params)
    return { ...payload, sid: authResult.authentication?.sessionId }
  }

  /** Logout revokes the session, so the token is dead everywhere at once. */
  override async remove(id: string | null, params: Params & { authentication?: any }) {
    if (!params.authentication) throw new NotAuthenticated('请先登录 (sign in first)')
    const result = await super.remove(id, params)
    const sid = result.authentication?.sessionId ?? result.authentication?.payload?.sid
    if (sid) {
      await this.deps.sessions.revoke(sid, 'logout')
      const user = result.user as { id?: string; name?: string } | undefined
      await this.deps.audit.append([
        {
          action: 'logout',
          collection: 'users',
          recordId: user?.id,
          actor: user ? { id: user.id, name: user.name } : null,
          ip: (params as { ip?: string }).ip ?? null,
          diff: { sessionId: sid }
        }
      ])
    }
    return result
  }
}

export function configureAuthentication(app: Application, deps: IdentityDeps, settings: AuthSettings): void {
  app.set('authentication', {
    secret: settings.secret,
    entity: 'user',
    service: 'users',
    authStrategies: ['jwt', 'local'],
    // X-API-Key is read on REST (the strategy is registered by setupIntegration); keys never mint tokens.
    parseStrategies: ['jwt', 'apikey'],
    jwtOptions: {
      header: { typ: 'access' },
      audience: 'medaffairs',
      issuer: 'medaffairs',
      algorithm: 'HS256',
      expiresIn: `${settings.sessionHours}h`
    }
  })
  const auth = new SessionAuthenticationService(app, deps)
  auth.register('jwt', new SessionJwtStrategy(deps.sessions))
  auth.register('local', new PasswordStrategy(deps))
  app.use('authentication', auth, { methods: ['create', 'remove'] })
}
