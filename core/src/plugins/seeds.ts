import type { Db, PluginContext, PluginDefinition } from '@medaffairs/plugin-sdk'

/**
 * Runs each seed once per database, with its record in the same transaction, so a seed
 * that fails halfway leaves nothing and runs again on the next start. Demo seeds run only
 * when the workspace is started with demo data.
 */
export async function runSeeds(
  db: Db,
  plugin: PluginDefinition,
  ctx: PluginContext,
  withDemo: boolean
): Promise<string[]> {
  const ran: string[] = []
  for (const seed of plugin.seeds ?? []) {
    if (seed.demo && !withDemo) continue
    const done = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('medaffairs:seeds'))`)
      const seen = await tx.query('SELECT 1 FROM _seeds WHERE scope = $1 AND id = $2', [plugin.name, seed.id])
      if (seen.rowCount > 0) return false
      await seed.run(ctx)
      await tx.query('INSERT INTO _seeds (scope, id) VALUES ($1, $2)', [plugin.name, seed.id])
      return true
    })
    if (done) ran.push(seed.id)
  }
  return ran
}
