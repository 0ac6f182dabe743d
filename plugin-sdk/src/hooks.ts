import { authenticate } from '@feathersjs/authentication'
import type { HookContext, NextFunction } from '@feathersjs/feathers'

/**
 * For plugin services that are not collections: external callers must be signed in.
 * Collections do not need it — the records pipeline checks every call.
 */
export async function signedIn(context: HookContext, next: NextFunction): Promise<void> {
  if (context.params.provider) await authenticate('jwt')(context)
  await next()
}
