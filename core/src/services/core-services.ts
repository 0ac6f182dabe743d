import type { Application } from '@feathersjs/feathers'
import type { Db, JobQueue, Logger } from '@medaffairs/plugin-sdk'
import { AuditService, HistoryService } from '../audit/services.js'
import type { Identity } from '../identity/setup.js'
import {
  NotificationPreferencesService,
  NotificationsService,
  publishNotifications
} from '../notifications/service.js'
import { NotificationStore } from '../notifications/store.js'
import { CollectionsService } from '../plugins/collections-service.js'
import type { PluginRegistry } from '../plugins/loader.js'
import { ManifestService, PluginsService } from '../plugins/plugins-service.js'
import { BatchService } from '../records/batch-service.js'
import { optionalActor, requireTier, signedIn, withActor } from '../records/guards.js'
import { UnmaskService } from '../records/unmask-service.js'
import { RecycleBinService } from '../recycle/recycle-bin.js'
import { asPdf, PrintService } from '../printing/service.js'

export interface CoreServices {
  print: PrintService
  recycleBin: RecycleBinService
  notifications: NotificationsService
  batch: BatchService
}

/** The services every workspace has, registered after the plugins (they read the registry). */
export function registerCoreServices(
  app: Application,
  db: Db,
  logger: Logger,
  identity: Identity,
  registry: PluginRegistry,
  jobs: JobQueue
): CoreServices {
  const actors = identity.pipeline.actors
  const actorHooks = { around: { all: [withActor(actors)] } }

  const plugins = new PluginsService(registry)
  app.use('plugins', plugins, { methods: ['find', 'get', 'patch'] })
  app
    .service('plugins')
    .hooks({ around: { find: [signedIn], get: [signedIn], patch: [signedIn, requireTier('system')] } })
  app.use('manifest', new ManifestService(registry, plugins), { methods: ['find'] })
  app.service('manifest').hooks({ around: { find: [optionalActor(actors)] } })
  app.use('collections', new CollectionsService(registry), { methods: ['find'] })
  app.service('collections').hooks(actorHooks)
  app.service('jobs').hooks(actorHooks)

  app.use('audit', new AuditService(identity.audit), { methods: ['find'] })
  app.service('audit').hooks(actorHooks)
  app.use('history', new HistoryService(app, registry, identity.audit), { methods: ['find'] })
  app.service('history').hooks(actorHooks)
  app.use('unmask', new UnmaskService(app, registry, identity.pipeline.masking, identity.audit), {
    methods: ['create']
  })
  app.service('unmask').hooks(actorHooks)

  const recycleBin = new RecycleBinService(app, db, registry, identity.audit)
  app.use('recycle-bin', recycleBin, { methods: ['find', 'create'] })
  app.service('recycle-bin').hooks(actorHooks)
  const batch = new BatchService(
    app,
    db,
    registry,
    (items, params) => recycleBin.create({ action: 'restore', items }, params),
    () => jobs
  )
  app.use('batch', batch, { methods: ['create'] })
  app.service('batch').hooks(actorHooks)

  const store = new NotificationStore(db)
  const notifications = new NotificationsService(app, store, logger)
  app.use('notifications', notifications, { methods: ['find', 'get', 'create', 'patch'], events: [] })
  app.service('notifications').hooks({ around: { find: [signedIn], get: [signedIn], patch: [signedIn] } })
  publishNotifications(app)
  app.use('notification-preferences', new NotificationPreferencesService(store, notifications.channels), {
    methods: ['find', 'create']
  })
  app.service('notification-preferences').hooks({ around: { all: [signedIn] } })
  const print = new PrintService(app)
  for (const plugin of registry.plugins)
    for (const t of plugin.printTemplates ?? []) print.templates.set(t.key, t)
  app.use('print/:template', print, { methods: ['get'] })
  app.service('print/:template').hooks({ around: { all: [withActor(actors)] }, after: { get: [asPdf] } })
  return { print, recycleBin, notifications, batch }
}
