import { authenticate } from '@feathersjs/authentication'
import type { HookContext, NextFunction, Params } from '@feathersjs/feathers'

/**
 * For plugin services that are not collections: external callers must be signed in.
 * Collections do not need it — the records pipeline checks every call.
 */
export async function signedIn(context: HookContext, next: NextFunction): Promise<void> {
  if (context.params.provider) await authenticate('jwt')(context)
  await next()
}

/**
 * The caller's identity for the calls a service makes on their behalf, so the records pipeline
 * checks every row as for them. The request was authenticated once, on the way in: it is not
 * authenticated again (nor its session touched) for each inner call.
 */
export function callerParams(params: Params): Params {
  const { provider, user, authentication, authenticated, actor, ip } = params as Record<string, unknown>
  return { provider, user, authentication, authenticated, actor, ip } as Params
}
