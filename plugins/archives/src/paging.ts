import { BadRequest } from '@feathersjs/errors'

type Doc = Record<string, any>

/** A 400 naming the query parameter that is wrong, in both languages. */
export const invalidParam = (field: string, reason: string) =>
  new BadRequest(`参数不正确：${field} (invalid ${field})`, { errors: [{ field, reason }] })

/** `$limit` / `$skip` of one of the plugin's own lists: whole numbers within bounds, or a 400. */
export function listPaging(q: Doc, defaultLimit: number, max: number): { limit: number; skip: number } {
  const limit = Number(q.$limit ?? defaultLimit)
  const skip = Number(q.$skip ?? 0)
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw invalidParam('$limit', `1–${max}`)
  if (!Number.isInteger(skip) || skip < 0 || skip > 100_000) throw invalidParam('$skip', '0–100000')
  return { limit, skip }
}
