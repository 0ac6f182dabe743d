import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { PasswordPolicy } from './identity/password-policy.js'
import type { SessionPolicy } from './identity/sessions.js'
import type { LoginPolicy } from './identity/strategies.js'
import type { IntegrationSettingsInput } from './integration/settings.js'
import type { FilesConfig } from './files/config.js'
import type { BackupConfig } from './backup/config.js'
import type { JobsSettings } from './jobs/settings.js'
import type { TransferLimits } from './transfer/index.js'

export interface AppConfig {
  host: string
  port: number
  dataDir: string
  databaseUrl: string | null
  redisUrl: string | null
  /** Cluster mode (REDIS_URL): Redis channel names start with `channelPrefix` (REDIS_PREFIX). */
  cluster?: { channelPrefix?: string }
  poolSize: number
  logLevel: string
  /** `demo` seeds the demo hospital once; `none` seeds only base data (dictionaries). */
  seed: 'demo' | 'none'
  pluginsDir: string
  appDir: string
  admission: { maxConcurrent: number; maxQueue: number; queueTimeoutMs: number }
  shutdownTimeoutMs: number
  paginate: { default: number; max: number }
  plugins: Record<string, Record<string, unknown>>
  identity: IdentityConfig
  /** Audit entries are kept this many days (never fewer than 183). */
  audit: { retentionDays: number }
  /** Encryption at rest; MEDAFFAIRS_MASTER_KEY_FILE / MEDAFFAIRS_MASTER_KEY override the file. */
  crypto?: { masterKeyFile?: string | null }
  /** Removed records are purged for good after this many days. */
  recycleBin: { retentionDays: number }
  /** API keys, proxies, /api/docs (defaults in integration/settings.ts). */
  integration: IntegrationSettingsInput
  /** Uploads: folder (a shared volume in cluster mode), limits, allowed types. */
  files?: Partial<FilesConfig>
  /** The job queue's knobs (polling, retries, whether this instance runs jobs). */
  jobs?: Partial<JobsSettings>
  /** Full backups: folder (a shared volume in cluster mode), schedule, retention. */
  backup?: Partial<BackupConfig>
  /** Import/export chunk and page sizes. */
  transfer?: Partial<TransferLimits>
  /** V8 heap growth after a full collection, in percent (HEAP_GROWING_PERCENT; 0: V8's own choice). See heap-policy.ts. */
  heapGrowingPercent?: number
}

export interface IdentityConfig {
  password: PasswordPolicy
  login: LoginPolicy
  session: SessionPolicy
  /** Signs access tokens; generated once and kept in the database when not given (JWT_SECRET). */
  jwtSecret: string | null
  /**
   * How often each instance checks the organization version (department subtrees, role
   * grants); default 1000 ms. Cluster mode also expires it at once on every change.
   */
  orgCheckMs?: number
}

type Json = Record<string, unknown>

/** A setting that cannot be used; start-up stops with this message alone. */
export class ConfigError extends Error {}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function deepMerge<T extends Json>(base: T, over: Json): T {
  const out: Json = { ...base }
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v
  }
  return out as T
}

function readJson(file: string): Json {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : {}
}

/** The settings the environment may override, by the names the README documents. */
function fromEnvironment(env: NodeJS.ProcessEnv): Json {
  const out: Json = {}
  if (env.PORT) out.port = Number(env.PORT)
  if (env.HOST) out.host = env.HOST
  if (env.DATA_DIR) out.dataDir = env.DATA_DIR
  if (env.DATABASE_URL) out.databaseUrl = env.DATABASE_URL
  if (env.REDIS_URL) out.redisUrl = env.REDIS_URL
  if (env.REDIS_PREFIX) out.cluster = { channelPrefix: env.REDIS_PREFIX }
  if (env.LOG_LEVEL) out.logLevel = env.LOG_LEVEL
  if (env.MEDAFFAIRS_SEED) out.seed = env.MEDAFFAIRS_SEED
  if (env.JWT_SECRET) out.identity = { jwtSecret: env.JWT_SECRET }
  if (env.TRUST_PROXY)
    out.integration = {
      trustProxy: /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY === 'true'
    }
  if (env.FILES_DIR) out.files = { dir: env.FILES_DIR }
  if (env.PLUGINS_DIR) out.pluginsDir = env.PLUGINS_DIR
  if (env.BACKUP_DIR) out.backup = { dir: env.BACKUP_DIR }
  if (env.HEAP_GROWING_PERCENT)
    out.heapGrowingPercent = /^\d+$/.test(env.HEAP_GROWING_PERCENT)
      ? Number(env.HEAP_GROWING_PERCENT)
      : env.HEAP_GROWING_PERCENT
  // An `api`-role instance of a cluster enqueues work but leaves running it to `worker` instances.
  if (env.JOBS_WORK) out.jobs = { work: env.JOBS_WORK !== 'false' }
  return out
}

/**
 * config/default.json, then config/<NODE_ENV>.json, then the environment, then `overrides`
 * (tests). Paths are resolved against the repository root.
 */
export function loadConfig(
  overrides: Json = {},
  env: NodeJS.ProcessEnv = process.env,
  root = repoRoot()
): AppConfig {
  const dir = join(root, 'config')
  let cfg = readJson(join(dir, 'default.json'))
  if (env.NODE_ENV) cfg = deepMerge(cfg, readJson(join(dir, `${env.NODE_ENV}.json`)))
  cfg = deepMerge(deepMerge(cfg, fromEnvironment(env)), overrides)
  const config = cfg as unknown as AppConfig
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new ConfigError(`PORT must be a port number, got "${String(config.port)}"`)
  }
  if (config.seed !== 'demo' && config.seed !== 'none')
    throw new ConfigError(`MEDAFFAIRS_SEED must be demo or none`)
  config.dataDir = resolve(root, config.dataDir)
  config.pluginsDir = resolve(root, config.pluginsDir)
  config.appDir = resolve(root, config.appDir)
  return config
}

export function repoRoot(): string {
  return resolve(import.meta.dirname, '..', '..')
}
