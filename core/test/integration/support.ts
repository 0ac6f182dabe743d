import { createServer, type MedAffairsServer } from '../../src/app.js'
import { AuditLog } from '../../src/audit/audit-log.js'
import type { DriverName, PluginDefinition } from '@medaffairs/plugin-sdk'
import { OrgDirectory } from '../../src/identity/org.js'
import { setupIntegration, type Integration } from '../../src/integration/index.js'
import { ActorResolver } from '../../src/records/actor.js'
import { createTestDb } from '../../../tests/support/db.js'
import { serve, type TestServer } from '../../../tests/support/server.js'

export interface IntegrationTestServer extends TestServer {
  integration: Integration
  audit: AuditLog
}

/**
 * A real server with the integration API wired in, as app.ts does once the lead applies
 * the patch: setupIntegration is idempotent per app, so this works before and after it.
 */
export async function startIntegrationServer(
  driver: DriverName,
  plugins?: PluginDefinition[],
  config: Record<string, unknown> = {},
  /** Runs after the server is built and before it listens (stand-in services). */
  prepare?: (server: MedAffairsServer) => void | Promise<void>
): Promise<IntegrationTestServer> {
  const t = await createTestDb(driver)
  const server = await createServer({
    db: t.db,
    plugins,
    config: { port: 0, logLevel: 'silent', seed: 'none', ...config }
  })
  await prepare?.(server)
  const audit = new AuditLog(server.db)
  const integration = await setupIntegration(server.app, {
    db: server.db,
    registry: server.registry,
    audit,
    logger: server.logger,
    actors: new ActorResolver(server.db, new OrgDirectory(server.db)),
    settings: (server.config as unknown as { integration?: Record<string, unknown> }).integration,
    maxLimit: server.config.paginate.max
  })
  const served = await serve(server, () => t.drop())
  return { ...served, integration, audit }
}

export const keyHeader = (key: string, extra: Record<string, string> = {}) => ({ 'x-api-key': key, ...extra })
