import type { Params } from '@feathersjs/feathers'

/** The caller's transport identity only, so a module is read with the caller's own scope. */
export function asCaller(params: Params): Params {
  const { provider, user, authentication, actor } = params as Record<string, unknown>
  return { provider, user, authentication, actor } as Params
}

/** A module the caller may not read is left out, not an error for the whole page or report. */
export async function readable<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (error) {
    if ((error as { code?: number }).code === 403) return undefined
    throw error
  }
}
