import { Forbidden } from '@feathersjs/errors'
import type { Application, HookContext, NextFunction } from '@feathersjs/feathers'
import type { Actor } from '@medaffairs/plugin-sdk'
import type { Context } from 'koa'
import type { ActorResolver } from '../records/actor.js'

type Actors = Pick<ActorResolver, 'fromContext' | 'fromUser'>

/** A session that must first change its password or enrol a second factor touches no files. */
function checkRestriction(params: { authentication?: { restriction?: string } }): void {
  const restriction = params.authentication?.restriction
  if (restriction === 'password_change')
    throw new Forbidden('请先修改密码 (change your password first)', { restriction })
  if (restriction === 'totp_enroll')
    throw new Forbidden('请先绑定动态验证码 (set up the second factor first)', { restriction })
}

/** Service hook: external calls must be signed in; sets params.actor. Internal calls pass. */
export function filesActor(actors: Actors) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider) {
      await actors.fromContext(context)
      checkRestriction(context.params)
    }
    await next()
  }
}

/**
 * The actor of a raw Koa request (the byte routes are not service calls): the same JWT
 * strategy, session checks and role resolution as every service. `?access_token=` is
 * accepted where a header cannot be set, though signed URLs are the better way.
 */
export async function actorOfRequest(ctx: Context, app: Application, actors: Actors): Promise<Actor> {
  const params: Record<string, unknown> = { ...(ctx.feathers ?? {}) }
  const token = ctx.query.access_token
  if (!params.authentication && typeof token === 'string' && token) {
    params.authentication = { strategy: 'jwt', accessToken: token }
    // Request logs print the URL: keep the token out of them.
    ctx.originalUrl = ctx.originalUrl.replace(/([?&]access_token=)[^&]*/, '$1[redacted]')
  }
  const context = {
    app,
    params,
    type: 'around',
    path: 'files',
    method: 'find',
    service: app.service('files')
  } as unknown as HookContext
  const actor = await actors.fromContext(context)
  checkRestriction(context.params)
  return actor
}

/** The actor a signed URL was issued to, if that user still exists and is active. */
export async function actorOfUser(app: Application, actors: Actors, userId: string): Promise<Actor | null> {
  const user = (await app
    .service('users')
    .get(userId)
    .catch(() => null)) as Record<string, unknown> | null
  if (!user || (user.status !== undefined && user.status !== 'active')) return null
  return actors.fromUser(user)
}
