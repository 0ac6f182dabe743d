import { callerParams } from '@medaffairs/plugin-sdk'

/** Calls on the caller's behalf: read with their own scope, authenticated once. */
export const asCaller = callerParams

type Doc = Record<string, any>

/** `$limit` / `$skip` of a plugin service's own list, within the workspace's bounds. */
export function paging(query: Doc | undefined, max = 100): { limit: number; skip: number } {
  const limit = Math.max(1, Math.min(Number(query?.$limit) || 20, max))
  const skip = Math.max(0, Number(query?.$skip) || 0)
  return { limit, skip }
}
