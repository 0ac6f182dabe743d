import {
  PEOPLE_DEFAULT_LIMIT,
  PEOPLE_MAX_IDS,
  PEOPLE_MAX_LIMIT,
  RECORD_ID_PATTERN
} from '@medaffairs/plugin-sdk'
import { FieldErrors } from './field-errors.js'

/** What `GET /api/people` was asked, checked. */
export interface PeopleQuery {
  text: string
  /** Named users (shown by id, whatever their status); null = search active users. */
  ids: string[] | null
  deptId: string | null
  limit: number
  skip: number
}

const KNOWN = new Set(['q', 'ids', 'deptId', '$limit', '$skip'])
const MAX_TEXT = 50

function parseIds(raw: unknown, errs: FieldErrors): string[] | null {
  if (raw === undefined) return null
  const parts = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : null
  if (!parts || parts.some((p) => typeof p !== 'string')) {
    errs.add('ids', '应为以逗号分隔的用户 id', 'comma-separated user ids')
    return []
  }
  const ids = [...new Set((parts as string[]).map((p) => p.trim()).filter(Boolean))]
  if (ids.length > PEOPLE_MAX_IDS)
    errs.add('ids', `最多 ${PEOPLE_MAX_IDS} 个`, `at most ${PEOPLE_MAX_IDS} ids`)
  else if (ids.some((id) => !RECORD_ID_PATTERN.test(id)))
    errs.add('ids', '含有格式不正确的 id', 'contains a malformed id')
  return ids
}

function intParam(
  raw: unknown,
  field: string,
  min: number,
  max: number,
  fallback: number,
  errs: FieldErrors
): number {
  if (raw === undefined) return fallback
  const n = typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw)) ? Number(raw) : NaN
  if (Number.isInteger(n) && n >= min && n <= max) return n
  errs.add(field, `应为 ${min}–${max} 的整数`, `an integer from ${min} to ${max}`)
  return fallback
}

/**
 * Checks the query: unknown parameters are refused so nobody mistakes this for the full
 * `users` service. With `ids`, a page may hold every named user (up to 500).
 */
export function parsePeopleQuery(query: Record<string, unknown> | undefined): PeopleQuery {
  const q = query ?? {}
  const errs = new FieldErrors()
  for (const key of Object.keys(q)) if (!KNOWN.has(key)) errs.add(key, '不支持的参数', 'unknown parameter')
  const text = typeof q.q === 'string' ? q.q.trim() : ''
  if (q.q !== undefined && (typeof q.q !== 'string' || text.length > MAX_TEXT))
    errs.add('q', `应为不超过 ${MAX_TEXT} 个字的文本`, `text of at most ${MAX_TEXT} characters`)
  const ids = parseIds(q.ids, errs)
  const deptId = typeof q.deptId === 'string' && q.deptId ? q.deptId : null
  if (q.deptId !== undefined && q.deptId !== '' && (!deptId || !RECORD_ID_PATTERN.test(deptId)))
    errs.add('deptId', '应为科室 id', 'a department id')
  const max = ids ? PEOPLE_MAX_IDS : PEOPLE_MAX_LIMIT
  const limit = intParam(
    q.$limit,
    '$limit',
    1,
    max,
    ids ? Math.max(1, ids.length) : PEOPLE_DEFAULT_LIMIT,
    errs
  )
  const skip = intParam(q.$skip, '$skip', 0, Number.MAX_SAFE_INTEGER, 0, errs)
  errs.throwIfAny()
  return { text, ids, deptId, limit, skip }
}
