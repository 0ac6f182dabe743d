/** The password rules of 等保2.0 三级, each configurable (config `identity.password`). */
export interface PasswordPolicy {
  minLength: number
  /** How many of the four classes (lower, upper, digit, symbol) a password needs. */
  minClasses: number
  /** Days until a password expires; 0 = never. */
  maxAgeDays: number
  /** How many previous passwords may not be reused. */
  history: number
  bcryptCost: number
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  minClasses: 3,
  maxAgeDays: 90,
  history: 5,
  bcryptCost: 10
}

export interface PolicyViolation {
  field: 'password'
  reason: string
}

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]

/** Checks length and character classes, and that the password is not the login id. */
export function checkPasswordStrength(
  password: unknown,
  policy: PasswordPolicy,
  username?: string
): PolicyViolation[] {
  const out: PolicyViolation[] = []
  if (typeof password !== 'string') return [{ field: 'password', reason: '密码必填 (password is required)' }]
  if (password.length < policy.minLength) {
    out.push({
      field: 'password',
      reason: `密码至少${policy.minLength}位 (at least ${policy.minLength} characters)`
    })
  }
  if (password.length > 128)
    out.push({ field: 'password', reason: '密码不超过128位 (at most 128 characters)' })
  const classes = CLASSES.filter((re) => re.test(password)).length
  if (classes < policy.minClasses) {
    out.push({
      field: 'password',
      reason: `需包含大写字母、小写字母、数字、符号中的至少${policy.minClasses}类 (use ${policy.minClasses} of: lower case, upper case, digits, symbols)`
    })
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    out.push({ field: 'password', reason: '密码不能包含工号 (must not contain the login id)' })
  }
  return out
}

export function isPasswordExpired(changedAt: Date | null, policy: PasswordPolicy, now = new Date()): boolean {
  if (!policy.maxAgeDays || !changedAt) return false
  return now.getTime() - changedAt.getTime() > policy.maxAgeDays * 86_400_000
}
