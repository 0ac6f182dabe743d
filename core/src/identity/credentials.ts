import bcrypt from 'bcrypt'
import type { Db } from '@medaffairs/plugin-sdk'
import { isPasswordExpired, type PasswordPolicy } from './password-policy.js'
import { totpStep } from './totp.js'

/**
 * Secrets live in `_credentials`, apart from the user record, so no list, export or
 * event of users can ever carry a password hash or a TOTP secret.
 */
export interface Credential {
  userId: string
  passwordHash: string | null
  passwordChangedAt: Date | null
  history: string[]
  mustChange: boolean
  totpSecret: string | null
  totpEnabled: boolean
  failedCount: number
  lockedUntil: Date | null
}

interface Row {
  user_id: string
  password_hash: string | null
  password_changed_at: Date | null
  history: string[]
  must_change: boolean
  totp_secret: string | null
  totp_enabled: boolean
  failed_count: number
  locked_until: Date | null
}

const toCredential = (r: Row): Credential => ({
  userId: r.user_id,
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at ? new Date(r.password_changed_at) : null,
  history: r.history ?? [],
  mustChange: r.must_change,
  totpSecret: r.totp_secret,
  totpEnabled: r.totp_enabled,
  failedCount: r.failed_count,
  lockedUntil: r.locked_until ? new Date(r.locked_until) : null
})

export class Credentials {
  constructor(
    private readonly db: Db,
    private readonly policy: PasswordPolicy
  ) {}

  async get(userId: string): Promise<Credential | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM _credentials WHERE user_id = $1', [userId])
    return rows[0] ? toCredential(rows[0]) : undefined
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, Math.max(10, this.policy.bcryptCost))
  }

  verify(password: string, hash: string | null): Promise<boolean> {
    // Compare against a fixed hash when there is none, so timing does not reveal which ids exist.
    return bcrypt.compare(password, hash ?? '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.ZlvNIhTScDdRVLSqHUbrIYtSpFfm')
  }

  /** True when `password` equals the current one or one of the last `policy.history`. */
  async reused(cred: Credential | undefined, password: string): Promise<boolean> {
    const previous = [cred?.passwordHash, ...(cred?.history ?? [])]
      .filter((h): h is string => !!h)
      .slice(0, this.policy.history)
    for (const h of previous) if (await bcrypt.compare(password, h)) return true
    return false
  }

  /** Sets a password; `mustChange` marks an initial or reset password. Keeps the history. */
  async setPassword(userId: string, password: string, mustChange: boolean): Promise<void> {
    const hash = await this.hash(password)
    const cred = await this.get(userId)
    const history = [cred?.passwordHash, ...(cred?.history ?? [])]
      .filter((h): h is string => !!h)
      .slice(0, Math.max(0, this.policy.history - 1))
    await this.db.query(
      `INSERT INTO _credentials (user_id, password_hash, password_changed_at, history, must_change)
       VALUES ($1, $2, now(), $3::jsonb, $4)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash,
         password_changed_at = now(), history = EXCLUDED.history, must_change = EXCLUDED.must_change,
         failed_count = 0, locked_until = NULL`,
      [userId, hash, JSON.stringify(history), mustChange]
    )
  }

  isExpired(cred: Credential, now = new Date()): boolean {
    return isPasswordExpired(cred.passwordChangedAt, this.policy, now)
  }

  /** Counts a failed login; locks the account after `maxFailures` for `lockMinutes`. */
  async recordFailure(
    userId: string,
    maxFailures: number,
    lockMinutes: number
  ): Promise<{ locked: boolean; remaining: number }> {
    const { rows } = await this.db.query<{ failed_count: number; locked_until: Date | null }>(
      `UPDATE _credentials SET failed_count = failed_count + 1,
         locked_until = CASE WHEN failed_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
       WHERE user_id = $1 RETURNING failed_count, locked_until`,
      [userId, maxFailures, lockMinutes]
    )
    const count = rows[0]?.failed_count ?? 0
    return { locked: count >= maxFailures, remaining: Math.max(0, maxFailures - count) }
  }

  async recordSuccess(userId: string): Promise<void> {
    await this.db.query('UPDATE _credentials SET failed_count = 0, locked_until = NULL WHERE user_id = $1', [
      userId
    ])
  }

  async unlock(userId: string): Promise<void> {
    await this.recordSuccess(userId)
  }

  async setTotp(userId: string, secret: string | null, enabled: boolean): Promise<void> {
    await this.db.query('UPDATE _credentials SET totp_secret = $2, totp_enabled = $3 WHERE user_id = $1', [
      userId,
      secret,
      enabled
    ])
  }

  /**
   * True when the code is right and its time step was not used before. The step is taken in
   * one conditional UPDATE, so two requests racing with the same code cannot both pass.
   */
  async useTotp(userId: string, code: unknown, secret: string | null): Promise<boolean> {
    const step = totpStep(code, secret ?? '')
    if (step === null) return false
    const { rows } = await this.db.query(
      'UPDATE _credentials SET totp_last_step = $2 WHERE user_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING user_id',
      [userId, step]
    )
    return rows.length === 1
  }
}
