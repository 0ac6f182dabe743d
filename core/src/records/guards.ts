import { Forbidden } from '@feathersjs/errors'
import type { HookContext, NextFunction } from '@feathersjs/feathers'
import { authenticate } from '@feathersjs/authentication'
import type { AdminTier } from '@medaffairs/plugin-sdk'

/** External calls must come from a signed-in user; internal calls pass. */
export async function signedIn(context: HookContext, next: NextFunction): Promise<void> {
  if (context.params.provider) await authenticate('jwt')(context)
  await next()
}

/** Only holders of a role of the given administrator tier (e.g. system) may call. */
export function requireTier(tier: AdminTier) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider) {
      const codes: string[] = context.params.user?.roles ?? []
      const roles = (await context.app
        .service('roles')
        .find({ query: { code: { $in: codes }, tier }, paginate: false })) as unknown[]
      if (!roles.length)
        throw new Forbidden('仅系统管理员可执行此操作 (only the system administrator may do this)')
    }
    await next()
  }
}

/**
 * Resolves the actor when the call carries credentials, and lets anonymous calls through:
 * for public services whose answer depends on who asks (the manifest).
 */
export function optionalActor(actors: { fromContext(context: HookContext): Promise<unknown> }) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider && context.params.authentication) await actors.fromContext(context)
    await next()
  }
}

/** Resolves the actor of a signed-in external call (params.actor) for services that need it. */
export function withActor(actors: { fromContext(context: HookContext): Promise<unknown> }) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider) await actors.fromContext(context)
    await next()
  }
}
