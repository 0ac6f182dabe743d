// `npm run config:import -- <dir> [--dry-run]`: validates every file first (nothing changes if
// one is invalid), then publishes each added or changed definition as a new version with the
// comment "imported from <dir>" and applies changed dictionaries, in one transaction.
// Uses DATABASE_URL or the embedded database in DATA_DIR (stop the server first for PGlite).
import { resolve } from 'node:path'
import { createServer } from '../core/src/app.js'
import { attachDefinitions, importConfig } from '../core/src/definitions/index.js'

const args = process.argv.slice(2)
const dryRun = args.includes('--dry-run')
const [dir] = args.filter((a) => !a.startsWith('--'))
if (!dir) {
  console.error('usage: npm run config:import -- <dir> [--dry-run]')
  process.exit(2)
}
const server = await createServer({ config: { logLevel: 'warn' } })
try {
  const defs = await attachDefinitions(server)
  const summary = await importConfig(defs, resolve(dir), { dryRun, label: dir })
  if (summary.errors.length) {
    console.error(`${summary.errors.length} problems; nothing was imported:`)
    for (const e of summary.errors) console.error(`  ${e.file}${e.field ? ` ${e.field}` : ''}: ${e.reason}`)
    process.exitCode = 1
  } else {
    for (const state of ['added', 'changed', 'unchanged'] as const)
      for (const f of summary[state]) console.log(`  ${state.padEnd(9)} ${f}`)
    const verb = dryRun ? 'would import' : 'imported'
    console.log(
      `${verb}: ${summary.added.length} added, ${summary.changed.length} changed, ${summary.unchanged.length} unchanged`
    )
    // Index builds of changed forms run in the background; let them finish before exiting.
    await defs.indexer.idle()
  }
} finally {
  await server.close()
}
