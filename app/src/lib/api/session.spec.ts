import { Forbidden, NotAuthenticated, NotFound } from '@feathersjs/errors'
import { describe, expect, it } from 'vitest'
import { authFailureOf, onAuthFailure, reportAuthFailure } from './session'

describe('auth failures', () => {
  it('treats any 401 of a call that carried a token as an ended session', () => {
    expect(authFailureOf(new NotAuthenticated('jwt expired'), 'token')).toEqual({ kind: 'session_ended' })
    expect(authFailureOf(new NotAuthenticated('x', { sessionEnded: true }), null)).toEqual({
      kind: 'session_ended'
    })
    // Without a token a 401 is just "sign in first" (the route guard handles it).
    expect(authFailureOf(new NotAuthenticated('sign in'), null)).toBeNull()
  })

  it('recognizes restricted sessions and ignores other errors', () => {
    expect(authFailureOf(new Forbidden('x', { restriction: 'password_change' }), 't')).toEqual({
      kind: 'restricted',
      restriction: 'password_change'
    })
    expect(authFailureOf(new Forbidden('no'), 't')).toBeNull()
    expect(authFailureOf(new NotFound('gone'), 't')).toBeNull()
  })

  it('tells the listeners', () => {
    const seen: unknown[] = []
    const off = onAuthFailure((f) => seen.push(f))
    reportAuthFailure(new NotAuthenticated('x'), 't')
    reportAuthFailure(new NotFound('x'), 't')
    off()
    reportAuthFailure(new NotAuthenticated('x'), 't')
    expect(seen).toEqual([{ kind: 'session_ended' }])
  })
})
