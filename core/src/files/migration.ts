import type { Migration } from '@medaffairs/plugin-sdk'

/** The `_files` table: one row per upload; rows with the same sha256 share one stored blob. */
export const filesMigration: Migration = {
  id: '20261126000000-files',
  async up(db) {
    await db.query(`CREATE TABLE _files (
      id text PRIMARY KEY,
      sha256 text NOT NULL,
      name text NOT NULL,
      size bigint NOT NULL,
      mime text NOT NULL,
      collection text,
      record_id text,
      field text,
      width integer,
      height integer,
      has_thumbnail boolean NOT NULL DEFAULT false,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz)`)
    await db.query('CREATE INDEX _files_record_idx ON _files (collection, record_id)')
    // Purge asks "does anything still point at these bytes?".
    await db.query('CREATE INDEX _files_sha_idx ON _files (sha256)')
    // The uploader's own files not attached to a record yet (and the orphan sweep).
    await db.query(
      'CREATE INDEX _files_pending_idx ON _files (created_by, created_at) WHERE record_id IS NULL'
    )
  }
}
