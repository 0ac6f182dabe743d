import { readFileSync } from 'node:fs'
import type { Application, HookContext } from '@feathersjs/feathers'
import type { AuthenticationService } from '@feathersjs/authentication'
import type { Actor, Db } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import { runMigrations } from '../db/migrations.js'
import { RateLimiter } from '../identity/rate-limit.js'
import { sharedSecret } from '../identity/secrets.js'
import type { Logger } from '../logger.js'
import type { PluginRegistry } from '../plugins/loader.js'
import { ApiKeyAuthenticator } from './api-keys/authenticator.js'
import { apiKeyGate } from './api-keys/gate.js'
import { apiKeysMigration } from './api-keys/migration.js'
import { ApiKeysService, keyAdminsOnly } from './api-keys/service.js'
import { ApiKeyStore } from './api-keys/store.js'
import { ApiKeyStrategy } from './api-keys/strategy.js'
import { docsRoutes } from './docs/routes.js'
import { OpenApiBuilder } from './openapi/document.js'
import {
  proxyHops,
  resolveSettings,
  type IntegrationSettings,
  type IntegrationSettingsInput
} from './settings.js'

export interface IntegrationDeps {
  db: Db
  registry: PluginRegistry
  audit: AuditLog
  logger: Logger
  /** Resolves the caller of a signed-in call (identity's ActorResolver). */
  actors: { fromContext(context: HookContext): Promise<Actor> }
  /** `config.integration`. */
  settings?: IntegrationSettingsInput
  /** `config.paginate.max`: the largest `$limit` the document announces. */
  maxLimit?: number
}

export interface Integration {
  settings: IntegrationSettings
  keys: ApiKeyStore
  authenticator: ApiKeyAuthenticator
  openapi: OpenApiBuilder
}

const installed = new WeakMap<object, Integration>()

function coreVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version
  } catch {
    return '0.0.0'
  }
}

/** Registers the key strategy on the existing authentication service and lets REST headers reach it. */
function registerStrategy(app: Application, authenticator: ApiKeyAuthenticator): void {
  const auth = (
    app as unknown as { defaultAuthentication?: () => AuthenticationService | null }
  ).defaultAuthentication?.()
  if (!auth) throw new Error('setupIntegration: the authentication service must be configured first')
  if (!auth.getStrategy('apikey')) auth.register('apikey', new ApiKeyStrategy(authenticator))
  const cfg = app.get('authentication') as { authStrategies?: string[]; parseStrategies?: string[] }
  const parse = cfg.parseStrategies ?? cfg.authStrategies ?? []
  // Parsed from X-API-Key, but not in authStrategies: a key never mints a session token.
  if (!parse.includes('apikey')) app.set('authentication', { ...cfg, parseStrategies: [...parse, 'apikey'] })
}

/** Believes X-Forwarded-For only for the configured number of proxy hops (Koa's proxy/maxIpsCount). */
function trustProxy(app: Application, setting: boolean | number): void {
  const hops = proxyHops(setting)
  Object.assign(app as object, { proxy: hops > 0, maxIpsCount: hops })
}

/**
 * The integration API: API keys (table, `api-keys` service, `apikey` strategy, the gate
 * that audits and rate-limits every keyed call), `GET /api/openapi.json` and `/api/docs`.
 * Call once, after the core services and plugins are registered and before `listen`;
 * a second call on the same app returns the first result.
 */
export async function setupIntegration(app: Application, deps: IntegrationDeps): Promise<Integration> {
  const existing = installed.get(app)
  if (existing) return existing
  const settings = resolveSettings(deps.settings)
  await runMigrations(deps.db, 'integration', [apiKeysMigration])
  const pepper = await sharedSecret(deps.db, 'apikey-pepper', settings.apiKeys.pepper ?? undefined)
  const keys = new ApiKeyStore(deps.db)
  const authenticator = new ApiKeyAuthenticator({
    store: keys,
    limiter: new RateLimiter(deps.db),
    pepper,
    settings: settings.apiKeys
  })
  registerStrategy(app, authenticator)
  trustProxy(app, settings.trustProxy)
  app.hooks({ around: { all: [apiKeyGate({ audit: deps.audit, registry: deps.registry })] } })

  const knownCollection = (name: string) => deps.registry.collections.has(name) || name === 'audit'
  // Declaring the standard events as the service's own stops Feathers from emitting them:
  // `created` would carry the one-time secret to every listener and channel.
  const events = ['created', 'updated', 'patched', 'removed']
  app.use(
    'api-keys',
    new ApiKeysService({ db: deps.db, store: keys, audit: deps.audit, pepper, knownCollection }),
    { methods: ['find', 'get', 'create', 'patch', 'remove'], events, serviceEvents: [] }
  )
  app.service('api-keys').hooks({ around: { all: [keyAdminsOnly(deps.actors)] } })

  const openapi = new OpenApiBuilder({
    app,
    registry: deps.registry,
    logger: deps.logger,
    version: coreVersion(),
    maxLimit: deps.maxLimit ?? 500
  })
  if (settings.docs.enabled)
    (app as unknown as { use(mw: unknown): void }).use(docsRoutes({ document: () => openapi.document() }))
  const integration: Integration = { settings, keys, authenticator, openapi }
  installed.set(app, integration)
  return integration
}
