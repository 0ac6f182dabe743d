// `npm run config:export -- <dir>`: every published definition (forms, flows, dashboards) and
// every dictionary as one reviewable JSON file each, keys in a stable order.
// Uses DATABASE_URL or the embedded database in DATA_DIR (stop the server first for PGlite).
import { resolve } from 'node:path'
import { createServer } from '../core/src/app.js'
import { attachDefinitions, exportConfig } from '../core/src/definitions/index.js'

const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
if (!dir) {
  console.error('usage: npm run config:export -- <dir>')
  process.exit(2)
}
const server = await createServer({ config: { logLevel: 'warn' } })
try {
  const files = await exportConfig(await attachDefinitions(server), resolve(dir))
  for (const f of files) console.log(`  ${f}`)
  console.log(`exported ${files.length} files to ${resolve(dir)}`)
} finally {
  await server.close()
}
