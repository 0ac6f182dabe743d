import { Forbidden } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import { callerParams, type Action } from '@medaffairs/plugin-sdk'

/** Calls on the caller's behalf: read with their own scope, authenticated once. */
export const asCaller = callerParams

/** Refuses (403) unless the caller may do every action on the collection (as `GET /api/collections` says). */
export async function requireRights(
  app: Application,
  params: Params,
  collection: string,
  actions: Action[]
): Promise<void> {
  if (!params.provider) return
  const list = (await app.service('collections').find(asCaller(params))) as Array<{
    name: string
    permissions: Record<string, boolean>
  }>
  const rights = list.find((c) => c.name === collection)?.permissions ?? {}
  const missing = actions.filter((a) => !rights[a])
  if (missing.length)
    throw new Forbidden(`无权执行此操作 (not allowed to ${missing.join(', ')} ${collection})`, {
      collection,
      actions: missing
    })
}
