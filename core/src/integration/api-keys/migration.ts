import type { Migration } from '@medaffairs/plugin-sdk'

/**
 * `_api_keys`: keys other systems (HIS, HERP) call the API with. Only a peppered hash of
 * each secret is kept; `prefix` finds the row without revealing anything usable.
 */
export const apiKeysMigration: Migration = {
  id: '20261126000000-api-keys',
  async up(db) {
    // IF NOT EXISTS: the lead may also list this migration under the core scope.
    await db.query(`CREATE TABLE IF NOT EXISTS _api_keys (
      id text PRIMARY KEY,
      name text NOT NULL,
      prefix text NOT NULL,
      hash text NOT NULL,
      scopes jsonb NOT NULL DEFAULT '{"grants": [], "flows": []}',
      allow_list jsonb NOT NULL DEFAULT '[]',
      rate_per_minute integer,
      expires_at timestamptz,
      last_used_at timestamptz,
      last_used_ip text,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      revoked_by text)`)
    await db.query('CREATE UNIQUE INDEX IF NOT EXISTS _api_keys_prefix_idx ON _api_keys (prefix)')
  }
}
