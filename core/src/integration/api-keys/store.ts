import { randomUUID } from 'node:crypto'
import type { Db } from '@medaffairs/plugin-sdk'
import type { ApiKeyInfo, ApiKeyRecord, ApiKeyScopes } from './types.js'

interface Row {
  id: string
  name: string
  prefix: string
  hash: string
  scopes: ApiKeyScopes
  allow_list: string[]
  rate_per_minute: number | null
  expires_at: Date | null
  last_used_at: Date | null
  last_used_ip: string | null
  created_at: Date
  created_by: string | null
  updated_at: Date
  revoked_at: Date | null
  revoked_by: string | null
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)

function toRecord(r: Row): ApiKeyRecord {
  const expired = r.expires_at !== null && new Date(r.expires_at).getTime() <= Date.now()
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    hash: r.hash,
    scopes: { grants: r.scopes?.grants ?? [], flows: r.scopes?.flows ?? [] },
    allowList: r.allow_list ?? [],
    ratePerMinute: r.rate_per_minute,
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    lastUsedIp: r.last_used_ip,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by,
    updatedAt: iso(r.updated_at)!,
    revokedAt: iso(r.revoked_at),
    revokedBy: r.revoked_by,
    status: r.revoked_at ? 'revoked' : expired ? 'expired' : 'active'
  }
}

/** Drops the hash: what leaves the server. */
export function publicInfo(record: ApiKeyRecord): ApiKeyInfo {
  const { hash: _hash, ...info } = record
  return info
}

export interface NewKeyRow {
  name: string
  prefix: string
  hash: string
  scopes: ApiKeyScopes
  allowList: string[]
  ratePerMinute: number | null
  expiresAt: string | null
  createdBy: string | null
}

export type KeyChanges = Partial<
  Pick<NewKeyRow, 'name' | 'scopes' | 'allowList' | 'ratePerMinute' | 'expiresAt'>
>

const COLUMN_OF: Record<keyof KeyChanges, string> = {
  name: 'name',
  scopes: 'scopes',
  allowList: 'allow_list',
  ratePerMinute: 'rate_per_minute',
  expiresAt: 'expires_at'
}

/** The `_api_keys` table. */
export class ApiKeyStore {
  constructor(private readonly db: Db) {}

  async insert(k: NewKeyRow): Promise<ApiKeyRecord> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO _api_keys (id, name, prefix, hash, scopes, allow_list, rate_per_minute, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9) RETURNING *`,
      [
        randomUUID(),
        k.name,
        k.prefix,
        k.hash,
        JSON.stringify(k.scopes),
        JSON.stringify(k.allowList),
        k.ratePerMinute,
        k.expiresAt,
        k.createdBy
      ]
    )
    return toRecord(rows[0])
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM _api_keys WHERE id = $1', [id])
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  async byPrefix(prefix: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM _api_keys WHERE prefix = $1', [prefix])
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /** Newest first; `status` narrows to active, expired or revoked keys. */
  async list(opts: {
    status?: string
    limit: number
    skip: number
  }): Promise<{ total: number; data: ApiKeyRecord[] }> {
    const where =
      {
        active: 'revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
        expired: 'revoked_at IS NULL AND expires_at <= now()',
        revoked: 'revoked_at IS NOT NULL'
      }[opts.status ?? ''] ?? 'true'
    const total = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM _api_keys WHERE ${where}`
    )
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM _api_keys WHERE ${where} ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`,
      [opts.limit, opts.skip]
    )
    return { total: Number(total.rows[0].n), data: rows.map(toRecord) }
  }

  async update(id: string, changes: KeyChanges): Promise<ApiKeyRecord | undefined> {
    const sets: string[] = []
    const values: unknown[] = [id]
    for (const [k, v] of Object.entries(changes) as Array<[keyof KeyChanges, unknown]>) {
      if (v === undefined) continue
      values.push(k === 'scopes' || k === 'allowList' ? JSON.stringify(v) : v)
      sets.push(`${COLUMN_OF[k]} = $${values.length}${k === 'scopes' || k === 'allowList' ? '::jsonb' : ''}`)
    }
    const { rows } = await this.db.query<Row>(
      `UPDATE _api_keys SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
      values
    )
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /** Revokes for good; a revoked key is kept (the audit trail names it) but never works again. */
  async revoke(id: string, by: string | null): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE _api_keys SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $2), updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, by]
    )
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /** Records the last use; the caller throttles (at most once a minute per key). */
  async touch(id: string, ip: string | null): Promise<void> {
    await this.db.query('UPDATE _api_keys SET last_used_at = now(), last_used_ip = $2 WHERE id = $1', [
      id,
      ip
    ])
  }
}
