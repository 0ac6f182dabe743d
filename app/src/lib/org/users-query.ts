import type { Department } from '$lib/api/types'
import { subtreeIds } from './dept-tree'

/** The users list's filters, as they sit in the page URL (so back/forward and links work). */
export interface UserFilters {
  /** Name or employee number, part of it. */
  q: string
  dept: string
  /** Include the departments below `dept`. */
  sub: boolean
  status: string
  role: string
  page: number
}

export function filtersFromUrl(url: URL): UserFilters {
  const p = url.searchParams
  return {
    q: p.get('q') ?? '',
    dept: p.get('dept') ?? '',
    sub: p.get('sub') !== '0',
    status: p.get('status') ?? '',
    role: p.get('role') ?? '',
    page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1)
  }
}

/** The URL search string for `filters` (defaults left out). */
export function filtersToSearch(f: UserFilters): string {
  const p = new URLSearchParams()
  if (f.q.trim()) p.set('q', f.q.trim())
  if (f.dept) p.set('dept', f.dept)
  if (f.dept && !f.sub) p.set('sub', '0')
  if (f.status) p.set('status', f.status)
  if (f.role) p.set('role', f.role)
  if (f.page > 1) p.set('page', String(f.page))
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** `%` and `_` typed by the user are meant literally in a LIKE pattern. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The Feathers query for one page: filters, server-side paging, sorted by employee number. */
export function usersQuery(f: UserFilters, depts: Department[], pageSize: number): Record<string, unknown> {
  const query: Record<string, unknown> = {
    $limit: pageSize,
    $skip: (f.page - 1) * pageSize,
    $sort: { username: 1 }
  }
  if (f.status) query.status = f.status
  if (f.role) query.roles = f.role
  if (f.dept) query.deptId = f.sub ? { $in: subtreeIds(depts, f.dept) } : f.dept
  const q = f.q.trim()
  if (q) {
    const pattern = `%${likeEscape(q)}%`
    query.$or = [{ name: { $ilike: pattern } }, { username: { $ilike: pattern } }]
  }
  return query
}
