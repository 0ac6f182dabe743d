import { createServer } from './app.js'
import { ConfigError } from './config.js'
import { MasterKeyError } from './crypto/errors.js'
import { DataDirLockedError } from './db/data-dir-lock.js'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../seeds/demo-hospital.js'

/** The process entry: start, print where to go, and shut down gracefully on a signal. */
async function main() {
  const server = await createServer()
  const port = await server.listen()
  const url = `http://localhost:${port}/`
  server.logger.info(
    {
      port,
      driver: server.db.driver,
      dataDir: server.db.driver === 'pglite' ? server.config.dataDir : undefined
    },
    'listening'
  )
  console.log(`\nMedAffairs 医务管理平台 is running at ${url}`)
  console.log(
    `  database: ${server.db.driver === 'pg' ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ${server.config.dataDir}`}`
  )
  if (server.config.seed === 'demo') {
    console.log(`  demo logins (password ${DEMO_PASSWORD}):`)
    for (const a of [
      ...DEMO_ACCOUNTS,
      { username: 'sysadmin', name: '系统管理员' },
      { username: 'secadmin', name: '安全管理员' },
      { username: 'auditadmin', name: '审计管理员' }
    ]) {
      console.log(`    ${a.username.padEnd(11)} ${a.name}`)
    }
  }
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    server.logger.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      }
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError || error instanceof MasterKeyError || error instanceof ConfigError)
    console.error(`\n${error.message}\n`)
  else console.error(error)
  process.exit(1)
})
