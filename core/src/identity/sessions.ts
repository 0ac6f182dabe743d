import { randomUUID } from 'node:crypto'
import type { Db } from '@medaffairs/plugin-sdk'

/** Why a session may do only one thing until the user acts. */
export type SessionRestriction = 'password_change' | 'totp_enroll' | null

export interface Session {
  id: string
  userId: string
  restriction: SessionRestriction
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  revokedAt: Date | null
}

export interface SessionPolicy {
  /** Absolute lifetime of a session. */
  maxHours: number
  /** A session unused this long ends (等保: session timeout). */
  idleMinutes: number
}

interface Row {
  id: string
  user_id: string
  restriction: SessionRestriction
  created_at: Date
  last_seen_at: Date
  expires_at: Date
  revoked_at: Date | null
}

const toSession = (r: Row): Session => ({
  id: r.id,
  userId: r.user_id,
  restriction: r.restriction,
  createdAt: new Date(r.created_at),
  lastSeenAt: new Date(r.last_seen_at),
  expiresAt: new Date(r.expires_at),
  revokedAt: r.revoked_at ? new Date(r.revoked_at) : null
})

/**
 * Server-side sessions behind the JWTs: a token is only as good as its session, so logout,
 * disabling a user and a password change take effect at once on every instance.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy
  ) {}

  async create(
    userId: string,
    restriction: SessionRestriction,
    meta: { ip?: string; userAgent?: string }
  ): Promise<Session> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO _sessions (id, user_id, restriction, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5, $6) RETURNING *`,
      [
        randomUUID(),
        userId,
        restriction,
        this.policy.maxHours,
        meta.ip ?? null,
        (meta.userAgent ?? '').slice(0, 300)
      ]
    )
    return toSession(rows[0])
  }

  /** The session if it is live: not revoked, not expired, not idle too long. Touches it. */
  async validate(id: string): Promise<Session | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE _sessions SET last_seen_at = now()
       WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
         AND last_seen_at > now() - make_interval(mins => $2)
       RETURNING *`,
      [id, this.policy.idleMinutes]
    )
    return rows[0] ? toSession(rows[0]) : undefined
  }

  /** Whether a session is live, without touching it (for checks made on the session's behalf). */
  async isLive(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `SELECT 1 FROM _sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
         AND last_seen_at > now() - make_interval(mins => $2)`,
      [id, this.policy.idleMinutes]
    )
    return rowCount > 0
  }

  async revoke(id: string, reason: string): Promise<void> {
    await this.db.query(
      'UPDATE _sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
      [id, reason]
    )
  }

  /** Ends every session of a user (disable, password change, left the hospital). */
  async revokeAll(userId: string, reason: string, except?: string): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE _sessions SET revoked_at = now(), revoked_reason = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND ($3::text IS NULL OR id <> $3)`,
      [userId, reason, except ?? null]
    )
    return rowCount
  }

  async clearRestriction(id: string): Promise<void> {
    await this.db.query('UPDATE _sessions SET restriction = NULL WHERE id = $1', [id])
  }
}
