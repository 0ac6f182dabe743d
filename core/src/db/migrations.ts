import type { Db, Migration } from '@medaffairs/plugin-sdk'

export type { Migration }

const ID_PATTERN = /^\d{14}-[a-z0-9-]+$/

/**
 * Runs the migrations of one scope (core, or a plugin's name) that are not yet recorded.
 * Each runs with its record in one transaction, under an advisory lock, so concurrent
 * instances apply each migration exactly once. Returns the ids it applied.
 */
export async function runMigrations(
  db: Db,
  scope: string,
  migrations: readonly Migration[]
): Promise<string[]> {
  for (const m of migrations) {
    if (!ID_PATTERN.test(m.id))
      throw new Error(`Migration id "${m.id}" of ${scope} must look like 20260101120000-what-it-does`)
  }
  const ids = migrations.map((m) => m.id)
  const dup = ids.find((id, i) => ids.indexOf(id) !== i)
  if (dup) throw new Error(`Migration id "${dup}" appears twice in ${scope}`)

  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('medaffairs:migrations'))`)
    await tx.query(`CREATE TABLE IF NOT EXISTS _migrations (
      scope text NOT NULL, id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, id))`)
  })
  const applied: string[] = []
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    const ran = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('medaffairs:migrations'))`)
      const done = await tx.query('SELECT 1 FROM _migrations WHERE scope = $1 AND id = $2', [scope, m.id])
      if (done.rowCount > 0) return false
      await m.up(tx)
      await tx.query('INSERT INTO _migrations (scope, id) VALUES ($1, $2)', [scope, m.id])
      return true
    })
    if (ran) applied.push(m.id)
  }
  return applied
}
