import type { Params } from '@feathersjs/feathers'

/** The caller's transport identity only, so collections are read with the caller's own scope. */
export function asCaller(params: Params): Params {
  const { provider, user, authentication, actor } = params as Record<string, unknown>
  return { provider, user, authentication, actor } as Params
}

type Doc = Record<string, any>

/** `$limit` / `$skip` of a plugin service's own list, within the workspace's bounds. */
export function paging(query: Doc | undefined, max = 100): { limit: number; skip: number } {
  const limit = Math.max(1, Math.min(Number(query?.$limit) || 20, max))
  const skip = Math.max(0, Number(query?.$skip) || 0)
  return { limit, skip }
}
