import type { PrintTemplate } from './printing.js'
import type { FlowDefinition } from './flows.js'
import type { FormDefinition } from './forms.js'
import type { JobQueue } from './jobs.js'
import type { Action, AdminTier } from './acl.js'
import type { Application, HookOptions } from '@feathersjs/feathers'
import type { CollectionDefinition, CollectionKind, I18nText } from './collection.js'
import type { Db, Queryable } from './db.js'

/** A schema change. Ids sort in the order they run: `YYYYMMDDHHmmss-what-it-does`. */
export interface Migration {
  id: string
  up(db: Queryable): Promise<void>
}

/** Seed data; each seed runs once per database and is recorded like a migration. */
export interface Seed {
  id: string
  /** Demo data: only seeded when the workspace starts with the demo hospital. */
  demo?: boolean
  run(ctx: PluginContext): Promise<void>
}

export interface Logger {
  debug(obj: unknown, msg?: string): void
  info(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  error(obj: unknown, msg?: string): void
}

/** What a plugin gets from the core: the app, the database and a logger. */
export interface PluginContext {
  app: Application
  db: Db
  logger: Logger
  /** The plugin's own settings from config (`plugins.<name>`). */
  settings: Record<string, unknown>
  /** Whether the workspace runs with the demo hospital's data. */
  demo: boolean
  /** The durable job queue (set once the core's jobs service exists). */
  jobs?: JobQueue
}

export interface ServiceDefinition {
  /** Path under /api, e.g. `dictionaries/tree`. */
  path: string
  create(ctx: PluginContext): any
  /** Methods exposed to clients; defaults to the standard ones the service has. */
  methods?: string[]
  hooks?: HookOptions<any, any>
}

export interface MenuItem {
  /** The web route, e.g. `/dictionaries`. */
  path: string
  /** Shown only to users who may do `action` on `collection` (default read). */
  collection?: string
  action?: Action
  /** The kind of `collection` when it is no registered collection (the audit trail: `audit`). */
  kind?: CollectionKind
  /** Instead of one collection: shown to users who may do `action` on at least one (the recycle bin: restore). */
  anyCollection?: boolean
  /** Shown only to users of this administrators' tier (pages whose service checks the tier, e.g. backups). */
  tier?: AdminTier
  label: I18nText
  icon?: string
  /** Groups the item in the navigation. */
  group?: string
  order?: number
}

export type Messages = Record<string, string>

export interface PluginDefinition {
  /** Lower-case kebab name; unique. */
  name: string
  /** Semantic version. */
  version: string
  /** Names of plugins this one needs; they load first. */
  requires?: string[]
  label?: I18nText
  description?: I18nText
  /** Collections get a table, indexes and a document service at `/api/<name>`. */
  collections?: CollectionDefinition[]
  /** Default forms of its collections; the hospital edits them (versions kept by the core). */
  forms?: FormDefinition[]
  /** Default approval flows; published as version 1, edited by the hospital in the flow designer. */
  flows?: FlowDefinition[]
  services?: ServiceDefinition[]
  /** Printable documents (PDF, A4), served at `/api/print/<key>/<id>`. */
  printTemplates?: PrintTemplate[]
  /** Hooks this plugin adds to services registered by the core or other plugins. */
  hooks?: Record<string, HookOptions<any, any>>
  migrations?: Migration[]
  seeds?: Seed[]
  i18n?: { 'zh-CN'?: Messages; 'en-US'?: Messages }
  menu?: MenuItem[]
  /** Essential plugins cannot be disabled. */
  essential?: boolean
  /** Runs after every plugin is registered, for wiring that needs other services. */
  setup?(ctx: PluginContext): void | Promise<void>
}

const NAME = /^[a-z][a-z0-9-]*$/
const VERSION = /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/

/** Declares a plugin; checks its shape early so a mistake shows at import time. */
export function definePlugin(def: PluginDefinition): PluginDefinition {
  if (!NAME.test(def.name)) throw new Error(`Plugin name "${def.name}" must be lower-case kebab-case`)
  if (!VERSION.test(def.version))
    throw new Error(`Plugin ${def.name}: version "${def.version}" is not semver`)
  return def
}
