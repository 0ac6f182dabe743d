import { describe, expect, it } from 'vitest'
import { checkPassword, randomPassword } from './password-rules'

const policy = { minLength: 8, minClasses: 3, maxAgeDays: 90, history: 5 }

describe('password rules', () => {
  it('checks length, classes and the login id', () => {
    expect(checkPassword('abc', policy, 'u1')).toMatchObject({ length: false, classes: false, ok: false })
    expect(checkPassword('abcdefgh1', policy, 'u1')).toMatchObject({
      length: true,
      classes: false,
      present: ['lower', 'digit']
    })
    expect(checkPassword('Abcdefg1', policy, 'u1')).toMatchObject({ ok: true })
    expect(checkPassword('Xd0123@abc', policy, 'D0123')).toMatchObject({ notUsername: false, ok: false })
  })

  it('generates passwords that pass the policy', () => {
    for (let i = 0; i < 50; i++) {
      const password = randomPassword(policy, 'D0001')
      expect(password).toHaveLength(12)
      expect(checkPassword(password, { ...policy, minClasses: 4 }, 'D0001').ok).toBe(true)
      expect(password).not.toMatch(/[0O1lI]/)
    }
  })
})
