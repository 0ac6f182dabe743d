import type { HookContext, NextFunction, Params } from '@feathersjs/feathers'
import type { AuthenticationResult, AuthenticationService } from '@feathersjs/authentication'
import { auditKeyEvent, callAuditor, refusedKey, type CallAuditDeps } from './calls.js'
import type { ApiKeyInfo } from './types.js'

type Doc = Record<string, any>
type KeyParams = Params & {
  authentication?: Doc
  connection?: Doc
  ip?: string
  actor?: unknown
  apiKey?: ApiKeyInfo
}

const authServiceOf = (context: HookContext) =>
  (
    context.app as unknown as { defaultAuthentication?: () => AuthenticationService | null }
  ).defaultAuthentication?.() ?? undefined

/** Runs the key's strategy with the call's params (minus the transport, as Feathers' own hook does). */
async function authenticateKey(
  auth: AuthenticationService,
  request: Doc,
  params: KeyParams
): Promise<AuthenticationResult> {
  const { provider: _provider, authentication: _authentication, ...rest } = params
  return auth.authenticate(request as never, rest, 'apikey')
}

/** Audits a failed key authentication: with the key as actor when we know it, else as a failed login. */
async function auditFailure(
  deps: CallAuditDeps,
  context: HookContext,
  error: unknown,
  asLogin: boolean
): Promise<void> {
  const key = refusedKey(error)
  const ip = (context.params as KeyParams).ip ?? null
  const reason = (error as { data?: Doc }).data?.reason
  if (key && !asLogin) return callAuditor(deps)(context, key, error)
  if (key) return auditKeyEvent(deps.audit, 'login_failed', ip, key, { reason })
  // Unknown keys past the per-address budget (429) are not written one by one.
  if ((error as { code?: number }).code === 401)
    await auditKeyEvent(deps.audit, 'login_failed', ip, undefined, {
      reason: 'invalid',
      method: context.method,
      path: context.path
    })
}

/** Socket (or REST) `authentication.create({ strategy: 'apikey', apiKey })` and its logout. */
async function authenticationCall(
  deps: CallAuditDeps,
  auth: AuthenticationService,
  context: HookContext,
  next: NextFunction
) {
  const params = context.params as KeyParams
  const data = context.data as Doc | undefined
  if (context.method === 'create' && data?.strategy === 'apikey') {
    let result: AuthenticationResult
    try {
      result = await authenticateKey(auth, data, params)
    } catch (error) {
      await auditFailure(deps, context, error, true)
      throw error
    }
    // Later calls on this socket carry the key, so each is checked (revocation, limit) and audited.
    if (params.connection) {
      params.connection.authentication = { strategy: 'apikey', apiKey: data.apiKey }
      // A socket that was signed in as a user stops being that user (and stops getting their events).
      delete params.connection.user
    }
    await auditKeyEvent(deps.audit, 'login', params.ip ?? null, result.apiKey, { transport: params.provider })
    context.result = { authentication: { strategy: 'apikey' }, apiKey: result.apiKey }
    return
  }
  if (context.method === 'remove' && params.authentication?.strategy === 'apikey') {
    if (params.connection) delete params.connection.authentication
    context.result = { authentication: { strategy: 'apikey' } }
    return
  }
  await next()
}

/**
 * App-wide around hook, outermost: a call that carries an API key is authenticated with
 * the key's strategy, runs as the key's Actor, and leaves one audit entry whatever its outcome.
 * Calls with a session token or none pass untouched.
 */
export function apiKeyGate(deps: CallAuditDeps) {
  const record = callAuditor(deps)
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    const params = context.params as KeyParams
    if (!params.provider) return next()
    const auth = authServiceOf(context)
    if (!auth) return next()
    if (context.service === auth) return authenticationCall(deps, auth, context, next)
    if (params.authentication?.strategy !== 'apikey') return next()
    // A nested call made for an outer keyed call (batch, jobs) was authenticated, limited and
    // audited there; params.actor never comes from a client, so it can be trusted here.
    if ((params.actor as { kind?: string } | undefined)?.kind === 'apikey') return next()
    let result: AuthenticationResult
    try {
      result = await authenticateKey(auth, params.authentication, params)
    } catch (error) {
      await auditFailure(deps, context, error, false)
      throw error
    }
    const key = result.apiKey as ApiKeyInfo
    context.params = { ...params, actor: result.actor, apiKey: key, user: result.user }
    try {
      await next()
    } catch (error) {
      await record(context, key, error)
      throw error
    }
    await record(context, key)
  }
}
