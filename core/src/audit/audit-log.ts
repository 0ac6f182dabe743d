import { createHash } from 'node:crypto'
import type { Db } from '@medaffairs/plugin-sdk'
import { canonicalJson } from './canonical.js'

export type AuditAction =
  | 'create'
  | 'update'
  | 'patch'
  | 'remove'
  | 'restore'
  | 'purge'
  | 'unmask'
  | 'export'
  | 'import'
  | 'share'
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'flow'
  | 'read'

export interface AuditInput {
  action: AuditAction
  collection?: string
  recordId?: string
  actor?: { id?: string | null; name?: string | null } | null
  ip?: string | null
  /** What changed: `{ field: [before, after] }` for updates, a snapshot for creates, details for others. */
  diff?: Record<string, unknown>
}

export interface AuditEntry {
  seq: number
  at: string
  actorId: string | null
  actorName: string | null
  ip: string | null
  action: AuditAction
  collection: string | null
  recordId: string | null
  diff: Record<string, unknown>
}

export interface VerifyReport {
  checked: number
  ok: boolean
  problems: Array<{ seq: number; problem: string }>
}

interface Row {
  seq: number
  at: Date
  actor_id: string | null
  actor_name: string | null
  ip: string | null
  action: AuditAction
  collection: string | null
  record_id: string | null
  payload: string
  hash: string
}

const toEntry = (r: Row): AuditEntry => {
  const p = JSON.parse(r.payload) as { diff?: Record<string, unknown> }
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    ip: r.ip,
    action: r.action,
    collection: r.collection,
    recordId: r.record_id,
    diff: p.diff ?? {}
  }
}

/** An entry as it is written: the indexed columns and the canonical payload that is hashed. */
type Prepared = Omit<AuditEntry, 'seq' | 'diff'> & { payload: string }

/**
 * One entry: the head row's UPDATE takes the lock and computes the next hash from the newest
 * committed head (under READ COMMITTED a waiting writer re-reads it), so the chain is the one
 * `_audit_append` makes. A plain statement, prepared once per connection, costs the server
 * less than the PL/pgSQL function it replaced (no PL/pgSQL frame, no result row).
 */
const APPEND_ONE = `WITH head AS (
    UPDATE _audit_head SET seq = seq + 1, hash = encode(sha256(convert_to(hash || '|' || $1::text, 'UTF8')), 'hex')
     WHERE id = 1 RETURNING seq, hash)
  INSERT INTO _audit (seq, at, actor_id, actor_name, ip, action, collection, record_id, payload, hash)
  SELECT head.seq, $2::timestamptz, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $1::text, head.hash FROM head`

const appendOneParams = (e: Prepared): unknown[] => [
  e.payload,
  e.at,
  e.actorId,
  e.actorName,
  e.ip,
  e.action,
  e.collection,
  e.recordId
]

/**
 * The audit trail: append-only, hash-chained (each entry's hash covers the previous hash and
 * its own canonical payload), written in the caller's transaction.
 */
export class AuditLog {
  constructor(private readonly db: Db) {}

  /** Appends entries in order, in the current transaction (one database call for any number). */
  async append(inputs: AuditInput[]): Promise<void> {
    if (!inputs.length) return
    const at = new Date().toISOString()
    const entries = inputs.map((e) => {
      const row = {
        at,
        actorId: e.actor?.id ?? null,
        actorName: e.actor?.name ?? null,
        ip: e.ip ?? null,
        action: e.action,
        collection: e.collection ?? null,
        recordId: e.recordId ?? null
      }
      return { ...row, payload: canonicalJson({ ...row, diff: e.diff ?? {} }) }
    })
    // A single entry (one record written) travels with the transaction's COMMIT: no round trip
    // of its own, and the head row is locked only while committing. Batches run now, in
    // their chunk's savepoint, so that a long import does not pile up entries until the end.
    if (entries.length === 1)
      await this.db.atCommit(APPEND_ONE, appendOneParams(entries[0]), { prepare: 'medaffairs_audit_one' })
    else
      await this.db.query('SELECT _audit_append($1::jsonb)', [JSON.stringify(entries)], {
        prepare: 'audit_append'
      })
  }

  /** Walks the chain from the retention anchor to the head; reports edited, missing or reordered entries. */
  async verify(batch = 5000): Promise<VerifyReport> {
    const head = (
      await this.db.query<{ seq: number; hash: string; anchor_seq: number; anchor_hash: string }>(
        'SELECT * FROM _audit_head WHERE id = 1'
      )
    ).rows[0]
    const problems: VerifyReport['problems'] = []
    let prevSeq = Number(head.anchor_seq)
    let prevHash = head.anchor_hash
    let checked = 0
    for (;;) {
      const { rows } = await this.db.query<Row>('SELECT * FROM _audit WHERE seq > $1 ORDER BY seq LIMIT $2', [
        prevSeq,
        batch
      ])
      if (!rows.length) break
      for (const r of rows) {
        const seq = Number(r.seq)
        if (seq !== prevSeq + 1)
          problems.push({ seq, problem: `entries ${prevSeq + 1}–${seq - 1} are missing` })
        const expected = createHash('sha256').update(`${prevHash}|${r.payload}`).digest('hex')
        if (expected !== r.hash) problems.push({ seq, problem: 'content or hash was edited' })
        if (!payloadMatches(r))
          problems.push({ seq, problem: 'indexed columns differ from the hashed payload' })
        prevSeq = seq
        prevHash = r.hash
        checked++
      }
    }
    if (prevSeq !== Number(head.seq) || prevHash !== head.hash)
      problems.push({
        seq: prevSeq,
        problem: `the chain ends at ${prevSeq} but the head says ${head.seq}: entries were removed from the end`
      })
    return { checked, ok: problems.length === 0, problems }
  }

  /** Entries newest first, filtered; keyset paging with `beforeSeq`. */
  async search(
    filter: {
      actorId?: string
      collection?: string
      recordId?: string
      action?: string
      from?: string
      to?: string
      beforeSeq?: number
    },
    limit = 50
  ): Promise<AuditEntry[]> {
    const where: string[] = []
    const params: unknown[] = []
    const add = (sql: string, v: unknown) => {
      params.push(v)
      where.push(sql.replace('?', `$${params.length}`))
    }
    if (filter.actorId) add('actor_id = ?', filter.actorId)
    if (filter.collection) add('collection = ?', filter.collection)
    if (filter.recordId) add('record_id = ?', filter.recordId)
    if (filter.action) add('action = ?', filter.action)
    if (filter.from) add('at >= ?::timestamptz', filter.from)
    if (filter.to) add('at < ?::timestamptz', filter.to)
    if (filter.beforeSeq) add('seq < ?', filter.beforeSeq)
    params.push(Math.min(Math.max(1, limit), 500))
    const sql = `SELECT * FROM _audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`
    return (await this.db.query<Row>(sql, params)).rows.map(toEntry)
  }

  /**
   * Removes entries older than `keepDays` (never below 183 days: 网络安全法 keeps logs six
   * months) and moves the anchor, so the remaining chain still verifies.
   */
  async purge(keepDays: number): Promise<number> {
    const days = Math.max(183, keepDays)
    return this.db.transaction(async (tx) => {
      const last = await tx.query<{ seq: number; hash: string }>(
        `SELECT seq, hash FROM _audit WHERE at < now() - make_interval(days => $1) ORDER BY seq DESC LIMIT 1`,
        [days]
      )
      if (!last.rows.length) return 0
      await tx.query(`SELECT set_config('medaffairs.audit_purge', 'on', true)`)
      const { rowCount } = await tx.query('DELETE FROM _audit WHERE seq <= $1', [last.rows[0].seq])
      await tx.query('UPDATE _audit_head SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1', [
        last.rows[0].seq,
        last.rows[0].hash
      ])
      return rowCount
    })
  }
}

function payloadMatches(r: Row): boolean {
  const p = JSON.parse(r.payload) as Record<string, unknown>
  return (
    p.action === r.action &&
    (p.actorId ?? null) === r.actor_id &&
    (p.collection ?? null) === r.collection &&
    (p.recordId ?? null) === r.record_id &&
    new Date(p.at as string).getTime() === new Date(r.at).getTime()
  )
}
