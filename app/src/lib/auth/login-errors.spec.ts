import { NotAuthenticated, TooManyRequests } from '@feathersjs/errors'
import { describe, expect, it } from 'vitest'
import { explainLoginError } from './login-errors'

describe('login errors', () => {
  it('tells the attempts left at the password (or the code) field', () => {
    expect(explainLoginError(new NotAuthenticated('x', { remaining: 3 }), false)).toEqual({
      kind: 'refused',
      message: '工号或密码错误，还可尝试 3 次',
      field: 'password'
    })
    expect(explainLoginError(new NotAuthenticated('x', { remaining: 2 }), true)).toMatchObject({
      field: 'totp',
      message: '验证码不正确，还可尝试 2 次'
    })
  })

  it('explains lockout, rate limits and disabled accounts', () => {
    expect(explainLoginError(new NotAuthenticated('x', { locked: true, minutes: 25 }), false)).toMatchObject({
      message: '账户已锁定，请 25 分钟后再试',
      field: null
    })
    expect(explainLoginError(new NotAuthenticated('x', { locked: true }), false).kind).toBe('refused')
    expect(explainLoginError(new TooManyRequests('x', { retryAfter: 42 }), false)).toMatchObject({
      retryAfter: 42,
      message: '登录尝试过于频繁，请 42 秒后再试'
    })
    expect(explainLoginError(new NotAuthenticated('x', { status: 'disabled' }), false)).toMatchObject({
      message: '账户已停用，请联系系统管理员'
    })
    expect(explainLoginError(new NotAuthenticated('x', { status: 'left' }), false).kind).toBe('refused')
  })

  it('asks for the second factor', () => {
    expect(explainLoginError(new NotAuthenticated('x', { totpRequired: true }), false)).toEqual({
      kind: 'totp_required'
    })
  })
})
