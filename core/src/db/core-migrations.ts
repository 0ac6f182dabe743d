import type { Migration } from '@medaffairs/plugin-sdk'

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
      await db.query(`CREATE TABLE _org_version (id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), version bigint NOT NULL DEFAULT 1)`)
      await db.query('INSERT INTO _org_version (id, version) VALUES (1, 1)')
      await db.query('CREATE TABLE _secrets (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())')
    }
  }
]
