import type { Application } from '@feathersjs/feathers'
import type { Db } from '@medaffairs/plugin-sdk'
import { runMigrations } from '../db/migrations.js'
import type { Logger } from '../logger.js'
import { createBoss } from './boss.js'
import { JobsService, registerJobsService } from './jobs-service.js'
import { jobsMigrations } from './migrations.js'
import { PgBossQueue } from './queue.js'
import { jobsSettings, type JobsSettings } from './settings.js'

/** The parts of AppConfig the queue reads (AppConfig fits as it is). */
export interface JobsConfig {
  databaseUrl?: string | null
  paginate?: { default: number; max: number }
  jobs?: Partial<JobsSettings>
}

export interface Jobs {
  queue: PgBossQueue
  service: JobsService
  /** Idempotent; also run by app.teardown() through the service. */
  stop(): Promise<void>
}

/** Starts pg-boss (creating or migrating its schema) and our job records: a queue without the service. */
export async function createJobQueue(db: Db, config: JobsConfig, logger: Logger): Promise<PgBossQueue> {
  const settings = jobsSettings(config.jobs)
  const handle = createBoss(db, settings, config.databaseUrl)
  handle.boss.on('error', (err) => logger.warn({ err }, 'jobs: pg-boss reported an error'))
  await handle.boss.start()
  try {
    await runMigrations(db, 'core-jobs', jobsMigrations)
  } catch (error) {
    await handle.boss.stop({ graceful: false, wait: true })
    await handle.close()
    throw error
  }
  return new PgBossQueue(db, handle, settings, logger)
}

/**
 * Starts pg-boss (creating or migrating its schema), our job records, and the `jobs`
 * service. Call it before plugins register handlers; add the actor hooks to `jobs` after.
 */
export async function setupJobs(app: Application, db: Db, config: JobsConfig, logger: Logger): Promise<Jobs> {
  const queue = await createJobQueue(db, config, logger)
  const service = new JobsService(queue, config.paginate)
  registerJobsService(app, service, queue)
  return { queue, service, stop: () => queue.stop() }
}
