// Excel/CSV import and export of any collection, as jobs through the records pipeline.
export { setupTransfer, type TransferModule, type TransferOptions } from './setup.js'
export { JOB_EXPORT, JOB_IMPORT, TRANSFER_LIMITS, type TransferDeps, type TransferLimits } from './deps.js'
export {
  runExport,
  exportColumns,
  exportQuery,
  type ExportJobData,
  type ExportResult,
  type ExportFormat
} from './export-job.js'
export { runImport, IMPORT_MODES, type ImportJobData } from './import-job.js'
export { sheetOf, type Column, type Sheet } from './columns.js'
export { buildTemplate, FIRST_DATA_ROW, LISTS_SHEET } from './template.js'
export { ERROR_COLUMN } from './report.js'
