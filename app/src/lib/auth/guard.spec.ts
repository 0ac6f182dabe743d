import { describe, expect, it } from 'vitest'
import { guardTarget, loginUrl, safeNext } from './guard'

const at = (path: string) => new URL(path, 'http://h')

describe('guard', () => {
  it('sends visitors without a token to the login page, remembering where they were', () => {
    expect(guardTarget(at('/admin/users?page=2'), { signedIn: false, restriction: null })).toBe(
      '/login?next=%2Fadmin%2Fusers%3Fpage%3D2'
    )
    expect(guardTarget(at('/'), { signedIn: false, restriction: null })).toBe('/login')
    expect(guardTarget(at('/login'), { signedIn: false, restriction: null })).toBeNull()
  })

  it('keeps a restricted session on its forced page', () => {
    const pw = { signedIn: true, restriction: 'password_change' as const }
    expect(guardTarget(at('/admin/users'), pw)).toBe('/account/password')
    expect(guardTarget(at('/account/password'), pw)).toBeNull()
    expect(guardTarget(at('/account'), { signedIn: true, restriction: 'totp_enroll' })).toBe(
      '/account/security'
    )
    expect(guardTarget(at('/account'), { signedIn: true, restriction: null })).toBeNull()
  })

  it('only returns to paths of this site', () => {
    expect(safeNext('/admin/roles?x=1')).toBe('/admin/roles?x=1')
    expect(safeNext('https://evil.example/')).toBe('/')
    expect(safeNext('//evil.example/')).toBe('/')
    expect(safeNext('/\\evil.example')).toBe('/')
    expect(safeNext('/login?next=/x')).toBe('/')
    expect(safeNext(null)).toBe('/')
    expect(loginUrl(at('/login?next=/a'))).toBe('/login')
  })
})
