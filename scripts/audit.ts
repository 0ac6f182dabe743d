// `npm run audit -- verify` checks the hash chain; `npm run audit -- purge` applies retention.
// Uses DATABASE_URL or the embedded database in DATA_DIR (stop the server first for PGlite).
import { AuditLog } from '../core/src/audit/audit-log.js'
import { loadConfig } from '../core/src/config.js'
import { openDb } from '../core/src/db/open.js'

const [command] = process.argv.slice(2)
const config = loadConfig()
const db = await openDb({ databaseUrl: config.databaseUrl ?? undefined, dataDir: config.dataDir })
try {
  const audit = new AuditLog(db)
  if (command === 'verify') {
    const report = await audit.verify()
    console.log(
      report.ok
        ? `audit trail intact: ${report.checked} entries verified`
        : `AUDIT TRAIL DAMAGED (${report.problems.length} problems in ${report.checked} entries):`
    )
    for (const p of report.problems) console.log(`  entry ${p.seq}: ${p.problem}`)
    process.exitCode = report.ok ? 0 : 2
  } else if (command === 'purge') {
    const removed = await audit.purge(config.audit.retentionDays)
    console.log(
      `removed ${removed} entries older than ${Math.max(183, config.audit.retentionDays)} days; the chain re-anchored`
    )
  } else {
    console.error('usage: npm run audit -- verify | purge')
    process.exitCode = 2
  }
} finally {
  await db.close()
}
