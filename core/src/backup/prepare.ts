import type { Db, PluginDefinition } from '@medaffairs/plugin-sdk'
import { createServer } from '../app.js'

/**
 * This version's empty workspace on the restore target: the server is built once over the
 * target database (migrations, pg-boss's schema, every plugin's tables) without seeding
 * demo data, running jobs or listening, then closed; the database stays open for the load.
 */
export async function prepareWorkspaceSchema(
  db: Db,
  config: Record<string, unknown>,
  plugins?: PluginDefinition[]
): Promise<void> {
  // The base seeds print the initial passwords of new administrators; these accounts are
  // replaced by the backup's a moment later, and their passwords must not mislead anyone.
  const print = console.log
  console.log = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('Initial password of '))) print(...args)
  }
  try {
    await buildOnce(db, config, plugins)
  } finally {
    console.log = print
  }
}

async function buildOnce(
  db: Db,
  config: Record<string, unknown>,
  plugins?: PluginDefinition[]
): Promise<void> {
  const server = await createServer({
    db,
    plugins,
    config: {
      ...config,
      seed: 'none',
      logLevel: 'error',
      jobs: { ...((config.jobs as object) ?? {}), work: false },
      backup: { ...((config.backup as object) ?? {}), cron: '' }
    }
  })
  await server.close()
}
