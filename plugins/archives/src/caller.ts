import { callerParams } from '@medaffairs/plugin-sdk'

/** Calls on the caller's behalf: read with their own scope, authenticated once. */
export const asCaller = callerParams

/** A module the caller may not read is left out, not an error for the whole page or report. */
export async function readable<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (error) {
    if ((error as { code?: number }).code === 403) return undefined
    throw error
  }
}

/** The pages of a module's entries the caller may read; none when they may not read the module. */
export async function* readablePages(
  pages: AsyncGenerator<Record<string, any>[]>
): AsyncGenerator<Record<string, any>[]> {
  try {
    yield* pages
  } catch (error) {
    if ((error as { code?: number }).code !== 403) throw error
  }
}
