import type { PasswordPolicy } from '$lib/api/types'

/** The four character classes of the policy (等保: 3 of 4). */
export const CHARACTER_CLASSES = [
  { key: 'lower', test: /[a-z]/ },
  { key: 'upper', test: /[A-Z]/ },
  { key: 'digit', test: /[0-9]/ },
  { key: 'symbol', test: /[^A-Za-z0-9]/ }
] as const

export type ClassKey = (typeof CHARACTER_CLASSES)[number]['key']

export interface PasswordCheck {
  length: boolean
  /** Classes present in the password. */
  present: ClassKey[]
  classes: boolean
  /** Does not contain the login id. */
  notUsername: boolean
  tooLong: boolean
  ok: boolean
}

/**
 * The server's strength rules, checked as the user types: the page shows each one live.
 * The server checks again (and also the history of previous passwords).
 */
export function checkPassword(password: string, policy: PasswordPolicy, username?: string): PasswordCheck {
  const present = CHARACTER_CLASSES.filter((c) => c.test.test(password)).map((c) => c.key)
  const length = password.length >= policy.minLength
  const classes = present.length >= policy.minClasses
  const notUsername = !username || !password.toLowerCase().includes(username.toLowerCase())
  const tooLong = password.length > 128
  return { length, present, classes, notUsername, tooLong, ok: length && classes && notUsername && !tooLong }
}

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#$%&*+=?']

function randomIndex(n: number): number {
  const buffer = new Uint32Array(1)
  crypto.getRandomValues(buffer)
  return buffer[0] % n
}

/**
 * A random password for an administrator's reset: every character class, no look-alike
 * characters (0/O, 1/l/I), long enough for the policy. Shown once to the administrator.
 */
export function randomPassword(policy: Pick<PasswordPolicy, 'minLength'>, username?: string): string {
  const length = Math.max(12, policy.minLength)
  for (;;) {
    const chars = SETS.map((set) => set[randomIndex(set.length)])
    const all = SETS.join('')
    while (chars.length < length) chars.push(all[randomIndex(all.length)])
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomIndex(i + 1)
      ;[chars[i], chars[j]] = [chars[j], chars[i]]
    }
    const password = chars.join('')
    if (!username || !password.toLowerCase().includes(username.toLowerCase())) return password
  }
}
