import type { Migration } from '@medaffairs/plugin-sdk'

/**
 * `_audit_append` computes the same chain as before (each hash covers the previous hash and
 * the entry's payload, in array order) but writes the entries with one INSERT instead of one
 * per entry: an import chunk appends a thousand entries per call, and the per-row statement
 * was a third of the call's time.
 */
export const auditAppendSetBased: Migration = {
  id: '20261126030000-audit-append-set-based',
  async up(db) {
    await db.query(`CREATE OR REPLACE FUNCTION _audit_append(entries jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE s bigint; h text; p text; hashes text[] := '{}';
      BEGIN
        SELECT seq, hash INTO s, h FROM _audit_head WHERE id = 1 FOR UPDATE;
        FOR p IN SELECT e.value->>'payload' FROM jsonb_array_elements(entries) WITH ORDINALITY e ORDER BY e.ordinality LOOP
          h := encode(sha256(convert_to(h || '|' || p, 'UTF8')), 'hex');
          hashes := hashes || h;
        END LOOP;
        INSERT INTO _audit (seq, at, actor_id, actor_name, ip, action, collection, record_id, payload, hash)
        SELECT s + e.ordinality, (e.value->>'at')::timestamptz, e.value->>'actorId', e.value->>'actorName', e.value->>'ip',
               e.value->>'action', e.value->>'collection', e.value->>'recordId', e.value->>'payload', hashes[e.ordinality]
        FROM jsonb_array_elements(entries) WITH ORDINALITY e;
        s := s + coalesce(array_length(hashes, 1), 0);
        UPDATE _audit_head SET seq = s, hash = h WHERE id = 1;
        RETURN s;
      END $$`)
  }
}

/**
 * One entry, for a single-record write, as a PL/pgSQL call. Superseded by a plain statement
 * prepared per connection (`APPEND_ONE` in audit-log.ts, cheaper for the server) and dropped by
 * `auditAppendOneDropped`; kept so that databases migrate through the same history.
 */
export const auditAppendOne: Migration = {
  id: '20261126060000-audit-append-one',
  async up(db) {
    await db.query(`CREATE OR REPLACE FUNCTION _audit_append_one(
        p_payload text, p_at timestamptz, p_actor_id text, p_actor_name text, p_ip text,
        p_action text, p_collection text, p_record_id text) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE s bigint; h text;
      BEGIN
        UPDATE _audit_head SET seq = seq + 1, hash = encode(sha256(convert_to(hash || '|' || p_payload, 'UTF8')), 'hex')
         WHERE id = 1 RETURNING seq, hash INTO s, h;
        INSERT INTO _audit (seq, at, actor_id, actor_name, ip, action, collection, record_id, payload, hash)
        VALUES (s, p_at, p_actor_id, p_actor_name, p_ip, p_action, p_collection, p_record_id, p_payload, h);
        RETURN s;
      END $$`)
  }
}

/** Nothing calls `_audit_append_one` since the single entry became a prepared statement. */
export const auditAppendOneDropped: Migration = {
  id: '20261126090000-audit-append-one-dropped',
  async up(db) {
    await db.query(
      'DROP FUNCTION IF EXISTS _audit_append_one(text, timestamptz, text, text, text, text, text, text)'
    )
  }
}
