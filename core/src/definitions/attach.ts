import type { HookContext } from '@feathersjs/feathers'
import type { MedAffairsServer } from '../app.js'
import { AuditLog } from '../audit/audit-log.js'
import { OrgDirectory } from '../identity/org.js'
import { ActorResolver } from '../records/actor.js'
import { syncIndexes } from '../storage/index.js'
import type { Definitions } from './engine.js'
import { setupDefinitions } from './module.js'
import { seedForm } from './seed.js'

/** Runs the validation only for external calls, as the records pipeline does. */
function external(validate: (context: HookContext) => Promise<void>) {
  return async (context: HookContext) => {
    if (context.params.provider) await validate(context)
  }
}

/**
 * The definitions engine of a built server. When app.ts already wires the module (its
 * `definitions` setting is there) that one is returned; otherwise (a server built without
 * it: tests, scripts before the wiring lands) everything is attached afterwards: table,
 * seeding, live definitions with their indexes, services, and validation as a `before` hook
 * (which runs inside the records pipeline, after its writable-field checks).
 */
export async function attachDefinitions(server: MedAffairsServer): Promise<Definitions> {
  const { app, db, logger } = server
  const wired = app.get('definitions') as Definitions | undefined
  if (wired) return wired
  const actors = new ActorResolver(db, new OrgDirectory(db))
  const setup = await setupDefinitions(app, db, {
    actors,
    audit: new AuditLog(db),
    dataDir: server.config.dataDir,
    logger,
    registry: () => server.registry
  })
  const engine = setup.engine
  for (const [name, { def }] of server.registry.collections) engine.forms.base.set(name, def)
  for (const plugin of server.registry.plugins)
    for (const form of plugin.forms ?? []) await seedForm(engine, plugin, form)
  await engine.indexer.idle()
  for (const name of server.registry.collections.keys()) {
    const live = await engine.forms.get(name)
    if (live?.definition) await syncIndexes(db, live.definition)
  }
  const ctx = { app, db, logger, settings: {}, demo: false }
  for (const s of setup.module.services ?? []) {
    app.use(s.path, s.create(ctx), s.methods ? { methods: s.methods } : undefined)
    if (s.hooks) app.service(s.path).hooks(s.hooks)
  }
  const validate = external(setup.validate)
  for (const { path } of server.registry.collections.values()) {
    app.service(path).hooks({ before: { create: [validate], update: [validate], patch: [validate] } })
  }
  return engine
}
