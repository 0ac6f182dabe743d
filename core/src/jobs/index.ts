// Durable background jobs on pg-boss, on both database drivers.
export { createJobQueue, setupJobs, type Jobs, type JobsConfig } from './setup.js'
export { PgBossQueue, type JobListener } from './queue.js'
export {
  JobsService,
  registerJobsService,
  JOBS_EVENTS,
  type JobsPage,
  type JobsParams
} from './jobs-service.js'
export { JOBS_DEFAULTS, jobsSettings, type JobsSettings } from './settings.js'
