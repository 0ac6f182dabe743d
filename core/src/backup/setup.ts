import type { Application } from '@feathersjs/feathers'
import type { Db, JobQueue } from '@medaffairs/plugin-sdk'
import type { Logger } from '../logger.js'
import { appVersion, resolveBackupConfig, type BackupConfig } from './config.js'
import type { BackupKind } from './format.js'
import { BackupRunner } from './runner.js'
import { BACKUP_JOB, BACKUP_JOB_OPTIONS, registerBackupServices, type BackupDeps } from './services.js'

export interface BackupOptions {
  db: Db
  dataDir: string
  /** The files store's folder, copied into every backup. */
  filesDir: string
  repoRoot: string
  config?: Partial<BackupConfig>
  jobs: JobQueue
  actors: BackupDeps['actors']
  audit: BackupDeps['audit']
  logger: Logger
}

export interface BackupModule {
  config: BackupConfig & { dir: string }
  runner: BackupRunner
}

/**
 * Full backups: the `backup.full` job (scheduled by `backup.cron`, and started on demand
 * through `POST /api/backups`), the `backups` service and the tar download.
 */
export async function setupBackups(app: Application, options: BackupOptions): Promise<BackupModule> {
  const config = resolveBackupConfig(options.config, options.dataDir)
  const runner = new BackupRunner({
    db: options.db,
    root: config.dir,
    filesDir: options.filesDir,
    retention: config.retention,
    appVersion: appVersion(options.repoRoot)
  })
  await options.jobs.register<{ kind?: BackupKind }>(BACKUP_JOB, async (data, ctx) => {
    const { manifest, pruned } = await runner.run(
      data?.kind ?? 'scheduled',
      (done, total, message) => ctx.progress(done, total, message),
      ctx.signal
    )
    options.logger.info(
      { backup: manifest.id, bytes: manifest.bytes, seconds: manifest.seconds, pruned },
      'backup written'
    )
    return { id: manifest.id, bytes: manifest.bytes, seconds: manifest.seconds, pruned }
  })
  if (config.cron)
    await options.jobs.schedule(BACKUP_JOB, config.cron, { kind: 'scheduled' }, BACKUP_JOB_OPTIONS)
  registerBackupServices(app, {
    root: config.dir,
    cron: config.cron,
    retention: config.retention,
    jobs: options.jobs,
    actors: options.actors,
    audit: options.audit
  })
  return { config, runner }
}
