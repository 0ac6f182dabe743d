import type { Db, DefinitionKind } from '@medaffairs/plugin-sdk'
import { refId, type DefinitionSource, type StoredDefinition, type VersionRef } from './types.js'

interface Row {
  kind: DefinitionKind
  key: string
  version: number
  status: StoredDefinition['status']
  body: unknown
  author: string | null
  comment: string | null
  base_version: number | null
  source: DefinitionSource | null
  created_at: Date | string
  published_at: Date | string | null
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())
// Drivers hand jsonb back parsed; a text body (another driver setting) is parsed here.
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)

function toDefinition(r: Row): StoredDefinition {
  const version = Number(r.version)
  return {
    id: refId(r.kind, r.key, r.status === 'draft' ? 'draft' : version),
    kind: r.kind,
    key: r.key,
    version,
    status: r.status,
    body: json(r.body),
    author: r.author,
    comment: r.comment,
    baseVersion: r.base_version === null ? null : Number(r.base_version),
    createdAt: iso(r.created_at)!,
    publishedAt: iso(r.published_at)
  }
}

export interface FindFilter {
  kind?: DefinitionKind
  key?: string
  statuses?: StoredDefinition['status'][]
  version?: number
}

export interface NewVersion {
  kind: DefinitionKind
  key: string
  body: unknown
  author: string | null
  comment: string | null
  baseVersion?: number | null
  source?: DefinitionSource | null
}

/** SQL over `_definitions`; callers hold the (kind, key) lock for anything that writes. */
export class DefinitionStore {
  constructor(readonly db: Db) {}

  /** Serializes writers of one definition (also across instances); call inside a transaction. */
  async lock(kind: string, key: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `medaffairs:definition:${kind}:${key}`
    ])
  }

  async find(
    filter: FindFilter,
    limit: number,
    skip: number
  ): Promise<{ total: number; data: StoredDefinition[] }> {
    const where: string[] = []
    const params: unknown[] = []
    const add = (sql: string, v: unknown) => where.push(sql.replace('?', `$${params.push(v)}`))
    if (filter.kind) add('kind = ?', filter.kind)
    if (filter.key) add('key = ?', filter.key)
    if (filter.statuses) add('status = ANY(?::text[])', filter.statuses)
    if (filter.version !== undefined) add('version = ?', filter.version)
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
    const total = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM _definitions ${clause}`,
      params
    )
    const rows = await this.db.query<Row>(
      `SELECT * FROM _definitions ${clause} ORDER BY kind, key, (status = 'draft') DESC, version DESC
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, skip]
    )
    return { total: Number(total.rows[0].n), data: rows.rows.map(toDefinition) }
  }

  async get(kind: string, key: string, version: VersionRef): Promise<StoredDefinition | undefined> {
    const cond =
      version === 'draft'
        ? `status = 'draft'`
        : version === 'published'
          ? `status = 'published'`
          : 'version = $3'
    const params = typeof version === 'number' ? [kind, key, version] : [kind, key]
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM _definitions WHERE kind = $1 AND key = $2 AND ${cond} AND (version > 0 OR status = 'draft')`,
      params
    )
    return rows[0] ? toDefinition(rows[0]) : undefined
  }

  /** The published version number only: the cheap freshness check of the form cache. */
  async publishedVersion(kind: string, key: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ version: number }>(
      `SELECT version FROM _definitions WHERE kind = $1 AND key = $2 AND status = 'published'`,
      [kind, key]
    )
    return rows[0] ? Number(rows[0].version) : undefined
  }

  async source(kind: string, key: string): Promise<DefinitionSource | null> {
    const { rows } = await this.db.query<{ source: DefinitionSource | null }>(
      `SELECT source FROM _definitions WHERE kind = $1 AND key = $2 AND status = 'published'`,
      [kind, key]
    )
    return (json(rows[0]?.source ?? null) as DefinitionSource | null) ?? null
  }

  async setSource(kind: string, key: string, source: DefinitionSource): Promise<void> {
    await this.db.query(
      `UPDATE _definitions SET source = $3::jsonb WHERE kind = $1 AND key = $2 AND status = 'published'`,
      [kind, key, JSON.stringify(source)]
    )
  }

  async allPublished(kinds?: readonly DefinitionKind[]): Promise<StoredDefinition[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM _definitions WHERE status = 'published' ${kinds ? 'AND kind = ANY($1::text[])' : ''} ORDER BY kind, key`,
      kinds ? [kinds] : []
    )
    return rows.map(toDefinition)
  }

  async insertDraft(v: NewVersion): Promise<StoredDefinition> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO _definitions (kind, key, version, status, body, author, comment, base_version)
       VALUES ($1, $2, 0, 'draft', $3::jsonb, $4, $5, $6) RETURNING *`,
      [v.kind, v.key, JSON.stringify(v.body), v.author, v.comment, v.baseVersion ?? null]
    )
    return toDefinition(rows[0])
  }

  async updateDraft(
    kind: string,
    key: string,
    body: unknown,
    comment: string | null | undefined
  ): Promise<StoredDefinition | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE _definitions SET body = $3::jsonb, comment = COALESCE($4, comment)
        WHERE kind = $1 AND key = $2 AND status = 'draft' RETURNING *`,
      [kind, key, JSON.stringify(body), comment ?? null]
    )
    return rows[0] ? toDefinition(rows[0]) : undefined
  }

  async deleteDraft(kind: string, key: string): Promise<StoredDefinition | undefined> {
    const { rows } = await this.db.query<Row>(
      `DELETE FROM _definitions WHERE kind = $1 AND key = $2 AND status = 'draft' RETURNING *`,
      [kind, key]
    )
    return rows[0] ? toDefinition(rows[0]) : undefined
  }

  /** Version N+1 becomes the published one; the previous published version is superseded. */
  async insertPublished(v: NewVersion): Promise<StoredDefinition> {
    await this.db.query(
      `UPDATE _definitions SET status = 'superseded' WHERE kind = $1 AND key = $2 AND status = 'published'`,
      [v.kind, v.key]
    )
    const { rows } = await this.db.query<Row>(
      `INSERT INTO _definitions (kind, key, version, status, body, author, comment, base_version, source, published_at)
       SELECT $1, $2, COALESCE(max(version), 0) + 1, 'published', $3::jsonb, $4, $5, $6, $7::jsonb, now()
         FROM _definitions WHERE kind = $1 AND key = $2
       RETURNING *`,
      [
        v.kind,
        v.key,
        JSON.stringify(v.body),
        v.author,
        v.comment,
        v.baseVersion ?? null,
        v.source ? JSON.stringify(v.source) : null
      ]
    )
    return toDefinition(rows[0])
  }
}
