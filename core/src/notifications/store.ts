import type { Db, NotificationInput, NotificationRecord } from '@medaffairs/plugin-sdk'
import { newId } from '../storage/ids.js'

interface Row {
  id: string
  user_id: string
  kind: string
  title: NotificationRecord['title']
  body: NotificationRecord['body']
  link: string | null
  source: NotificationRecord['source']
  data: NotificationRecord['data']
  created_at: Date
  read_at: Date | null
}

const toRecord = (r: Row): NotificationRecord => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  source: r.source,
  data: r.data,
  createdAt: new Date(r.created_at).toISOString(),
  readAt: r.read_at ? new Date(r.read_at).toISOString() : null
})

export type ReadFilter = 'unread' | 'read' | 'all'

/** Notifications are kept for good: nothing here deletes them. */
export class NotificationStore {
  constructor(private readonly db: Db) {}

  /** One row per recipient, in one statement. */
  async insert(input: NotificationInput): Promise<NotificationRecord[]> {
    const rows = [...new Set(input.userIds)].map((userId) => ({
      id: newId(),
      user_id: userId,
      kind: input.kind,
      title: input.title,
      body: input.body ?? null,
      link: input.link ?? null,
      source: input.source ?? null,
      data: input.data ?? null
    }))
    if (!rows.length) return []
    const { rows: out } = await this.db.query<Row>(
      `INSERT INTO _notifications (id, user_id, kind, title, body, link, source, data)
       SELECT r->>'id', r->>'user_id', r->>'kind', r->'title', NULLIF(r->'body', 'null'), r->>'link', NULLIF(r->'source', 'null'), NULLIF(r->'data', 'null')
       FROM jsonb_array_elements($1::jsonb) AS r RETURNING *`,
      [JSON.stringify(rows)]
    )
    return out.map(toRecord)
  }

  async list(
    userId: string,
    filter: ReadFilter,
    limit: number,
    beforeId?: string
  ): Promise<NotificationRecord[]> {
    const read =
      filter === 'unread' ? 'AND read_at IS NULL' : filter === 'read' ? 'AND read_at IS NOT NULL' : ''
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM _notifications WHERE user_id = $1 ${read} AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [userId, beforeId ?? null, limit]
    )
    return rows.map(toRecord)
  }

  async counts(userId: string): Promise<{ unread: number; total: number }> {
    const { rows } = await this.db.query<{ unread: number; total: number }>(
      `SELECT count(*) FILTER (WHERE read_at IS NULL)::int AS unread, count(*)::int AS total FROM _notifications WHERE user_id = $1`,
      [userId]
    )
    return rows[0]
  }

  /** Marks one (or, with id null, all) of a user's notifications read or unread. */
  async mark(userId: string, id: string | null, read: boolean): Promise<NotificationRecord[]> {
    const { rows } = await this.db.query<Row>(
      `UPDATE _notifications SET read_at = CASE WHEN $3 THEN COALESCE(read_at, now()) ELSE NULL END
       WHERE user_id = $1 AND ($2::text IS NULL OR id = $2) AND (read_at IS NULL) = $3 RETURNING *`,
      [userId, id, read]
    )
    return rows.map(toRecord)
  }

  async get(userId: string, id: string): Promise<NotificationRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM _notifications WHERE user_id = $1 AND id = $2', [
      userId,
      id
    ])
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  async prefs(userId: string): Promise<Record<string, string[]>> {
    const { rows } = await this.db.query<{ prefs: Record<string, string[]> }>(
      'SELECT prefs FROM _notification_prefs WHERE user_id = $1',
      [userId]
    )
    return rows[0]?.prefs ?? {}
  }

  async setPrefs(userId: string, prefs: Record<string, string[]>): Promise<void> {
    await this.db.query(
      `INSERT INTO _notification_prefs (user_id, prefs) VALUES ($1, $2::jsonb) ON CONFLICT (user_id) DO UPDATE SET prefs = EXCLUDED.prefs`,
      [userId, JSON.stringify(prefs)]
    )
  }
}
