import { Forbidden, NotAuthenticated } from '@feathersjs/errors'
import type { Application, HookContext, NextFunction, Params } from '@feathersjs/feathers'
import type { Action, Actor, CollectionKind } from '@medaffairs/plugin-sdk'
import { permissionFor } from '../identity/acl.js'
import type { ActorResolver } from '../records/actor.js'

type Doc = Record<string, any>
export type Actors = Pick<ActorResolver, 'fromContext' | 'fromUser'>

/** Who started a job: stored with it (never a token), turned back into params when it runs. */
export interface JobCaller {
  userId: string
  ip: string | null
}

/** The params a job calls collection services with: the same pipeline checks as the request had. */
export interface CallerParams extends Params {
  provider: string
  user: Doc
  actor: Actor
  ip: string | null
}

/**
 * Rebuilds the caller when the job runs: the user as they are now (a user disabled or stripped
 * of a role meanwhile gets what they may do now, not what they could do when they asked).
 */
export async function callerParams(
  app: Application,
  actors: Actors,
  caller: JobCaller
): Promise<CallerParams> {
  const user = (await app
    .service('users')
    .get(caller.userId)
    .catch(() => undefined)) as Doc | undefined
  if (!user || (user.status !== undefined && user.status !== 'active'))
    throw new Forbidden('发起任务的用户已不可用 (the user who started this job is no longer active)')
  return { provider: 'job', user, actor: await actors.fromUser(user), ip: caller.ip }
}

/** Refuses with 403 unless the actor may do every action on the collection. */
export function requireRights(
  actor: Actor,
  collection: string,
  kind: CollectionKind,
  actions: Action[]
): void {
  const missing = actions.filter((a) => !permissionFor(actor, collection, a, kind).allowed)
  if (missing.length)
    throw new Forbidden(`无权执行此操作 (not allowed to ${missing.join(', ')} ${collection})`, {
      collection,
      actions: missing
    })
}

/** Service hook: signed-in external callers only (sets params.actor); a restricted session is refused. */
export function transferActor(actors: Actors) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider) {
      if (!context.params.authentication && !context.params.user)
        throw new NotAuthenticated('请先登录 (sign in first)')
      await actors.fromContext(context)
      const restriction = (context.params as { authentication?: { restriction?: string } }).authentication
        ?.restriction
      if (restriction)
        throw new Forbidden('请先完成账号安全设置 (finish securing your account first)', { restriction })
    }
    await next()
  }
}

/** The caller of a service call, as a job stores it. */
export function jobCaller(params: Params): JobCaller {
  const p = params as Params & { actor?: Actor; ip?: string }
  if (!p.actor) throw new NotAuthenticated('请先登录 (sign in first)')
  // A job runs as a user, re-read when it runs; an API key is not one.
  if (p.actor.kind !== 'user')
    throw new Forbidden('导入导出需要以用户身份登录 (imports and exports need a signed-in user)')
  return { userId: p.actor.id, ip: p.ip ?? null }
}
