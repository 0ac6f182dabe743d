import { describe, expect, it } from 'vitest'
import type { Department } from '$lib/api/types'
import { filtersFromUrl, filtersToSearch, usersQuery } from './users-query'

const dept = (id: string, parentId: string | null) =>
  ({
    id,
    parentId,
    code: id,
    name: id,
    type: 'clinical',
    path: '',
    depth: 0,
    order: 0,
    leaderIds: [],
    enabled: true
  }) as Department

describe('users query', () => {
  const depts = [dept('h', null), dept('a', 'h'), dept('a1', 'a'), dept('b', 'h')]

  it('round-trips filters through the URL', () => {
    const f = filtersFromUrl(new URL('http://h/admin/users?q=%E5%BC%A0&dept=a&sub=0&status=active&page=3'))
    expect(f).toEqual({ q: '张', dept: 'a', sub: false, status: 'active', role: '', page: 3 })
    expect(filtersToSearch(f)).toBe('?q=%E5%BC%A0&dept=a&sub=0&status=active&page=3')
    expect(filtersToSearch({ ...f, q: '', dept: '', status: '', page: 1 })).toBe('')
  })

  it('builds a paged query with the department subtree and a name/number search', () => {
    const query = usersQuery({ q: '5%', dept: 'a', sub: true, status: '', role: 'hr', page: 2 }, depts, 20)
    expect(query).toMatchObject({ $limit: 20, $skip: 20, roles: 'hr', $sort: { username: 1 } })
    expect((query.deptId as { $in: string[] }).$in.sort()).toEqual(['a', 'a1'])
    expect(query.$or).toEqual([{ name: { $ilike: '%5\\%%' } }, { username: { $ilike: '%5\\%%' } }])
    expect(
      usersQuery({ q: '', dept: 'a', sub: false, status: 'left', role: '', page: 1 }, depts, 20)
    ).toMatchObject({
      deptId: 'a',
      status: 'left'
    })
  })
})
