import type { Migration } from '@medaffairs/plugin-sdk'
import { auditAppendOne, auditAppendOneDropped, auditAppendSetBased } from '../audit/migrations.js'
import { flowMigrations } from '../flows/migrations.js'
import { filesMigration } from '../files/migration.js'

/** The core's own tables. Plugins bring theirs in their definitions. */
export const coreMigrations: Migration[] = [
  {
    id: '20261125000000-plugins-and-seeds',
    async up(db) {
      await db.query(`CREATE TABLE _plugins (
        name text PRIMARY KEY,
        version text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        installed_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text)`)
      await db.query(`CREATE TABLE _seeds (
        scope text NOT NULL, id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, id))`)
    }
  },
  {
    id: '20261125010000-identity-tables',
    async up(db) {
      await db.query(`CREATE TABLE _credentials (
        user_id text PRIMARY KEY,
        password_hash text,
        password_changed_at timestamptz,
        history jsonb NOT NULL DEFAULT '[]',
        must_change boolean NOT NULL DEFAULT true,
        totp_secret text,
        totp_enabled boolean NOT NULL DEFAULT false,
        failed_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz)`)
      await db.query(`CREATE TABLE _sessions (
        id text PRIMARY KEY,
        user_id text NOT NULL,
        restriction text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        ip text,
        user_agent text)`)
      await db.query('CREATE INDEX _sessions_user_idx ON _sessions (user_id) WHERE revoked_at IS NULL')
      await db.query(`CREATE TABLE _rate_limits (
        key text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        count integer NOT NULL)`)
      await db.query(
        `CREATE TABLE _org_version (id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), version bigint NOT NULL DEFAULT 1)`
      )
      await db.query('INSERT INTO _org_version (id, version) VALUES (1, 1)')
      await db.query(
        'CREATE TABLE _secrets (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())'
      )
    }
  },
  {
    id: '20261125020000-audit-trail',
    async up(db) {
      await db.query(`CREATE TABLE _audit (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id text,
        actor_name text,
        ip text,
        action text NOT NULL,
        collection text,
        record_id text,
        payload text NOT NULL,
        hash text NOT NULL)`)
      await db.query('CREATE INDEX _audit_record_idx ON _audit (collection, record_id, seq)')
      await db.query('CREATE INDEX _audit_actor_idx ON _audit (actor_id, seq)')
      await db.query('CREATE INDEX _audit_at_idx ON _audit (at)')
      await db.query(`CREATE TABLE _audit_head (
        id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL,
        anchor_seq bigint NOT NULL, anchor_hash text NOT NULL)`)
      await db.query(`INSERT INTO _audit_head VALUES (1, 0, 'genesis', 0, 'genesis')`)
      // Append-only: rows can only be removed by the retention purge, which says so first.
      await db.query(`CREATE FUNCTION _audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND current_setting('medaffairs.audit_purge', true) = 'on' THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'the audit trail is append-only';
        END $$`)
      await db.query(
        'CREATE TRIGGER _audit_append_only BEFORE UPDATE OR DELETE ON _audit FOR EACH ROW EXECUTE FUNCTION _audit_guard()'
      )
      // The head row's lock orders concurrent writers; under READ COMMITTED the locking read
      // returns the newest committed head, so the chain never forks.
      await db.query(`CREATE FUNCTION _audit_append(entries jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE s bigint; h text; e jsonb;
        BEGIN
          SELECT seq, hash INTO s, h FROM _audit_head WHERE id = 1 FOR UPDATE;
          FOR e IN SELECT value FROM jsonb_array_elements(entries) LOOP
            s := s + 1;
            h := encode(sha256(convert_to(h || '|' || (e->>'payload'), 'UTF8')), 'hex');
            INSERT INTO _audit (seq, at, actor_id, actor_name, ip, action, collection, record_id, payload, hash)
            VALUES (s, (e->>'at')::timestamptz, e->>'actorId', e->>'actorName', e->>'ip', e->>'action',
                    e->>'collection', e->>'recordId', e->>'payload', h);
          END LOOP;
          UPDATE _audit_head SET seq = s, hash = h WHERE id = 1;
          RETURN s;
        END $$`)
    }
  },
  {
    id: '20261125030000-notifications',
    async up(db) {
      await db.query(`CREATE TABLE _notifications (
        id text PRIMARY KEY,
        user_id text NOT NULL,
        kind text NOT NULL,
        title jsonb NOT NULL,
        body jsonb,
        link text,
        source jsonb,
        data jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz)`)
      await db.query('CREATE INDEX _notifications_user_idx ON _notifications (user_id, id DESC)')
      await db.query(
        'CREATE INDEX _notifications_unread_idx ON _notifications (user_id) WHERE read_at IS NULL'
      )
      await db.query(
        `CREATE TABLE _notification_prefs (user_id text PRIMARY KEY, prefs jsonb NOT NULL DEFAULT '{}')`
      )
    }
  },
  filesMigration,
  ...flowMigrations,
  {
    // The last accepted TOTP time step: a one-time code is accepted once.
    id: '20261126000000-totp-last-step',
    async up(db) {
      await db.query('ALTER TABLE _credentials ADD COLUMN totp_last_step bigint')
    }
  },
  auditAppendSetBased,
  auditAppendOne,
  auditAppendOneDropped
]
