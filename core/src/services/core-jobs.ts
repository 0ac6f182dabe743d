import type { Params } from '@feathersjs/feathers'
import type { Application } from '@feathersjs/feathers'
import type { JobQueue } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../audit/audit-log.js'
import type { AppConfig } from '../config.js'
import type { FilesModule } from '../files/index.js'
import type { BatchRequest } from '../records/batch-service.js'
import type { CoreServices } from './core-services.js'

/**
 * The core's background work: large batches, and the nightly retention runs (recycle bin,
 * audit trail, files never attached to a record). Schedules use the server's time zone.
 */
export async function registerCoreJobs(
  app: Application,
  jobs: JobQueue,
  services: CoreServices,
  audit: AuditLog,
  files: FilesModule,
  config: AppConfig
): Promise<void> {
  await jobs.register<{ req: BatchRequest; userId: string }>('batch', async ({ req, userId }, ctx) => {
    // The batch runs as the user who asked for it: the records pipeline checks every row.
    const user = await app.service('users').get(userId)
    return {
      count: await services.batch.runChunked(req, { provider: 'job', user } as Params, (done, total) =>
        ctx.progress(done, total)
      )
    }
  })
  await jobs.register('recycle-bin.purge', async () => ({
    purged: await services.recycleBin.purgeOlderThan(config.recycleBin.retentionDays)
  }))
  await jobs.register('audit.purge', async () => ({ purged: await audit.purge(config.audit.retentionDays) }))
  await jobs.register('files.purge-unattached', async () => ({
    purged: await files.store.purgeUnattached(24)
  }))
  await jobs.schedule('recycle-bin.purge', '10 3 * * *')
  await jobs.schedule('audit.purge', '20 3 * * *')
  await jobs.schedule('files.purge-unattached', '30 3 * * *')
}
