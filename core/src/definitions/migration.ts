import type { Migration } from '@medaffairs/plugin-sdk'

/**
 * `_definitions`: every version of every stored definition. The draft is version 0 (it gets
 * its number when published), so (kind, key, version) is unique and there is at most one
 * draft; a partial unique index keeps at most one published version per (kind, key).
 */
export const definitionsMigration: Migration = {
  id: '20261127000000-definitions',
  async up(db) {
    await db.query(`CREATE TABLE IF NOT EXISTS _definitions (
      kind text NOT NULL CHECK (kind IN ('form', 'flow', 'dictionary', 'dashboard')),
      key text COLLATE "C" NOT NULL,
      version integer NOT NULL CHECK (version >= 0),
      status text NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
      body jsonb NOT NULL,
      author text,
      comment text,
      base_version integer,
      source jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      PRIMARY KEY (kind, key, version),
      CHECK ((status = 'draft') = (version = 0))
    )`)
    await db.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS _definitions_one_draft ON _definitions (kind, key) WHERE status = 'draft'`
    )
    await db.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS _definitions_one_published ON _definitions (kind, key) WHERE status = 'published'`
    )
  }
}
