import type { Application, HookContext } from '@feathersjs/feathers'
import {
  collectionFromForm,
  definePlugin,
  type CollectionDefinition,
  type Db,
  type FormDefinition,
  type Logger,
  type PluginDefinition
} from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import { runMigrations } from '../db/migrations.js'
import type { PluginRegistry } from '../plugins/loader.js'
import { Definitions } from './engine.js'
import { validationHook } from './hook.js'
import { definitionsMigration } from './migration.js'
import { seedForm } from './seed.js'
import { definitionServices, type ActorSource } from './services.js'

export const DEFINITIONS_SCOPE = 'plugin:definitions'

export interface DefinitionsOptions {
  actors: ActorSource
  audit: AuditLog
  dataDir: string
  logger: Logger
  /** The loader's registry once it exists (a publish updates its collection entry). */
  registry?: () => PluginRegistry | undefined
}

export interface DefinitionsSetup {
  engine: Definitions
  /** The core module to load before the plugins: services and migration. */
  module: PluginDefinition
  /** For the records pipeline: validates external writes against the published form. */
  validate(context: HookContext): Promise<void>
  /** For the plugin loader: the definition a collection runs with (its plugin's, plus the published form). */
  effectiveDefinition(def: CollectionDefinition, plugin: PluginDefinition): Promise<CollectionDefinition>
}

export function definitionsModule(engine: Definitions, actors: ActorSource): PluginDefinition {
  return definePlugin({
    name: 'definitions',
    version: '0.1.0',
    essential: true,
    label: { 'zh-CN': '表单与配置', 'en-US': 'Forms and configuration' },
    description: {
      'zh-CN': '表单、流程等定义的版本管理：草稿、发布、对比、回滚、自动备份',
      'en-US': 'Versioned definitions: drafts, publishing, diffs, rollback, automatic backups'
    },
    migrations: [definitionsMigration],
    services: definitionServices(engine, actors),
    // `definitions` is no collection: the manifest shows these entries to whoever may change definitions.
    menu: [
      {
        path: '/admin/forms',
        collection: 'definitions',
        action: 'update',
        label: { 'zh-CN': '表单管理', 'en-US': 'Forms' },
        group: 'admin',
        order: 50
      },
      {
        path: '/admin/flows',
        collection: 'definitions',
        action: 'update',
        label: { 'zh-CN': '流程设计', 'en-US': 'Flow designer' },
        icon: 'flow',
        group: 'admin',
        order: 60
      }
    ]
  })
}

/** Seeds the plugin's form of this collection (version 1, or an upgrade merge), then says what to run with. */
async function effectiveDefinition(
  engine: Definitions,
  warned: Set<string>,
  def: CollectionDefinition,
  plugin: PluginDefinition
): Promise<CollectionDefinition> {
  engine.forms.base.set(def.name, def)
  const forms = plugin.forms ?? []
  if (!warned.has(plugin.name)) {
    warned.add(plugin.name)
    const foreign = forms
      .filter((f) => !(plugin.collections ?? []).some((c) => c.name === f.collection))
      .map((f) => f.collection)
    if (foreign.length)
      engine.deps.logger.warn(
        { plugin: plugin.name, forms: foreign },
        'forms for collections of other plugins are ignored'
      )
  }
  const shipped = forms.find((f) => f.collection === def.name)
  // A plugin shipping a broken form must not keep the workspace from starting: its collection
  // runs with what was published before (or without form validation) and the error is logged.
  if (shipped)
    await seedForm(engine, plugin, shipped).catch((err) =>
      engine.deps.logger.error(
        { plugin: plugin.name, form: shipped.collection, err },
        'plugin form not seeded'
      )
    )
  const published = await engine.store.get('form', def.name, 'published')
  return published ? collectionFromForm(published.body as FormDefinition, def) : def
}

/**
 * Creates the definitions engine (its table first: the loader asks it about every collection,
 * the core's own included, before the module's turn comes).
 */
export async function setupDefinitions(
  app: Application,
  db: Db,
  options: DefinitionsOptions
): Promise<DefinitionsSetup> {
  await runMigrations(db, DEFINITIONS_SCOPE, [definitionsMigration])
  const engine = new Definitions({
    app,
    db,
    audit: options.audit,
    dataDir: options.dataDir,
    logger: options.logger,
    registry: options.registry
  })
  app.set('definitions', engine)
  const warned = new Set<string>()
  return {
    engine,
    module: definitionsModule(engine, options.actors),
    validate: validationHook((collection) => engine.forms.get(collection)),
    effectiveDefinition: (def, plugin) => effectiveDefinition(engine, warned, def, plugin)
  }
}
