import { mkdir } from 'node:fs/promises'
import type { Application, HookContext } from '@feathersjs/feathers'
import type { Db, StorageDriver } from '@medaffairs/plugin-sdk'
import { sharedSecret } from '../identity/secrets.js'
import type { Logger } from '../logger.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { ActorResolver } from '../records/actor.js'
import { FileAccess } from './access.js'
import { filesActor } from './actor.js'
import { resolveFilesConfig, type FilesConfig } from './config.js'
import type { FilesDeps } from './deps.js'
import { downloadMiddleware } from './download.js'
import { LocalStorageDriver } from './local-driver.js'
import { FileContentService, FilesService, FileUrlService } from './services.js'
import { UrlSigner } from './signed-url.js'
import { FileStore, setFilesDeleted } from './store.js'
import { uploadMiddleware } from './upload.js'

export interface FilesOptions {
  db: Db
  registry: PluginRegistry
  actors: Pick<ActorResolver, 'fromContext' | 'fromUser'>
  logger: Logger
  /** `<dataDir>/files` unless `config.dir` says otherwise. */
  dataDir: string
  config?: Partial<FilesConfig>
  audit?: FilesDeps['audit']
  /** Another place for the bytes (an S3-compatible store); default: a local folder. */
  driver?: StorageDriver
}

export interface FilesModule {
  config: FilesDeps['config']
  store: FileStore
  access: FileAccess
  /** For RecycleBinService.followers: a restored record brings its files back, a purged one takes them along. */
  binListener(collection: string, recordIds: string[], purged: boolean): Promise<void>
}

/**
 * Removing a record (a soft delete into the recycle bin) takes its files along, inside the
 * remove's transaction. Installed on every collection the plugins registered.
 */
function followRemovals(app: Application, db: Db, registry: PluginRegistry): void {
  for (const { def, path } of registry.collections.values()) {
    app.service(path).hooks({
      after: {
        remove: [
          async (context: HookContext) => {
            const rows = (Array.isArray(context.result) ? context.result : [context.result]) as Array<{
              id?: unknown
            } | null>
            const ids = rows.filter((r) => r?.id != null).map((r) => String(r!.id))
            await setFilesDeleted(db, def.name, ids, true)
          }
        ]
      }
    })
  }
}

/**
 * Registers the files module: the `files` service (metadata; its Koa middleware takes
 * multipart uploads on `POST /api/files`), `files/:fileId/url` (signed links) and
 * `files/:fileId/content` (the bytes, with Range). Call after the plugins are loaded.
 */
export async function setupFiles(app: Application, options: FilesOptions): Promise<FilesModule> {
  const config = resolveFilesConfig(options.config, options.dataDir)
  const driver = options.driver ?? new LocalStorageDriver(config.dir)
  if (!options.driver) await mkdir(config.dir, { recursive: true })
  const store = new FileStore(options.db, driver, (err) =>
    options.logger.error({ err }, 'files: removing unreferenced bytes failed')
  )
  const access = new FileAccess(app, options.registry)
  const signer = new UrlSigner(await sharedSecret(options.db, 'file-urls'))
  const deps: FilesDeps = { app, config, store, access, signer, actors: options.actors, audit: options.audit }
  const hooks = { around: { all: [filesActor(options.actors)] } }

  app.use('files', new FilesService(deps), {
    methods: ['find', 'get', 'create', 'patch', 'remove'],
    koa: { before: [uploadMiddleware(deps)] }
  })
  app.service('files').hooks(hooks)
  app.use('files/:fileId/url', new FileUrlService(deps), { methods: ['find'] })
  app.service('files/:fileId/url').hooks(hooks)
  app.use('files/:fileId/content', new FileContentService(), {
    methods: [],
    koa: { before: [downloadMiddleware(deps)] }
  })
  followRemovals(app, options.db, options.registry)

  return {
    config,
    store,
    access,
    async binListener(collection, recordIds, purged) {
      if (purged) await store.purgeRecords(collection, recordIds)
      else await store.setDeleted(collection, recordIds, false)
    }
  }
}
