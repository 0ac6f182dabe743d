import type { Application } from '@feathersjs/feathers'
import type { Db, JobQueue, Logger, NotificationInput } from '@medaffairs/plugin-sdk'
import type { AuditInput } from '../audit/audit-log.js'
import type { FilesModule } from '../files/setup.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { Actors } from './caller.js'

/** What imports and exports need from the rest of the core; built once by setupTransfer. */
export interface TransferDeps {
  app: Application
  db: Db
  registry: PluginRegistry
  actors: Actors
  files: Pick<FilesModule, 'store' | 'access'>
  audit: { append(inputs: AuditInput[]): Promise<void> }
  logger: Logger
  /** The durable queue; looked up at call time, as it may be wired after this module. */
  jobs(): JobQueue | undefined
  /** Tells the requester a job finished (the notifications service; never fails the job). */
  notify(input: NotificationInput): Promise<void>
  limits: TransferLimits
}

export interface TransferLimits {
  /** Rows read from one file at most (the rest is refused with a message). */
  maxImportRows: number
  /** Rows per multi-create. */
  importChunk: number
  /** Rows per keyset page of an export: one query and one write per page. */
  exportPage: number
  /** Errors kept in the job result (all of them go into the report workbook). */
  maxReportedErrors: number
}

export const TRANSFER_LIMITS: TransferLimits = {
  maxImportRows: 500_000,
  importChunk: 1000,
  exportPage: 2000,
  maxReportedErrors: 1000
}

export const JOB_EXPORT = 'transfer.export'
export const JOB_IMPORT = 'transfer.import'
