import type { Application } from '@feathersjs/feathers'
import type { Db } from '@medaffairs/plugin-sdk'
import type { IdentityConfig } from '../config.js'
import type { AuditHookDeps } from '../audit/audit-hook.js'
import { AuditLog } from '../audit/audit-log.js'
import { ActorResolver } from '../records/actor.js'
import { MaskingRules } from '../records/masking-rules.js'
import type { PipelineDeps } from '../records/pipeline.js'
import { configureAuthentication } from './authentication.js'
import { Credentials } from './credentials.js'
import { identityModule } from './module.js'
import { OrgDirectory } from './org.js'
import { RateLimiter } from './rate-limit.js'
import { sharedSecret } from './secrets.js'
import { Sessions } from './sessions.js'

export interface Identity {
  audit: AuditLog
  auditHook: AuditHookDeps
  sessions: Sessions
  credentials: Credentials
  org: OrgDirectory
  pipeline: PipelineDeps
  module: ReturnType<typeof identityModule>
}

/** Builds identity's parts from the configuration and registers authentication. */
export async function setupIdentity(app: Application, db: Db, config: IdentityConfig): Promise<Identity> {
  const credentials = new Credentials(db, config.password)
  const sessions = new Sessions(db, config.session)
  const org = new OrgDirectory(db, config.orgCheckMs)
  const actors = new ActorResolver(db, org)
  const masking = new MaskingRules(db)
  const limiter = new RateLimiter(db)
  const isAdmin = async (user: Record<string, unknown>) => (await actors.fromUser(user)).tiers.length > 0
  const audit = new AuditLog(db)
  const secret = await sharedSecret(db, 'jwt', config.jwtSecret ?? undefined)
  configureAuthentication(
    app,
    { credentials, sessions, limiter, login: config.login, isAdmin, audit },
    { secret, sessionHours: config.session.maxHours }
  )
  const module = identityModule({ db, credentials, sessions, org, actors, masking, policy: config.password })
  return {
    sessions,
    credentials,
    org,
    pipeline: { db, actors, masking },
    module,
    audit,
    auditHook: { db, audit, masksOf: (c) => masking.rulesOf(c) }
  }
}
