/**
 * What imports answer, shared by core's transfer module and the web app: the problems found
 * in a sheet's rows, and the users import (`/api/user-imports`), which checks and writes
 * within the request.
 */

/** One problem of one row, as the report shows it. `field` is null for the row as a whole. */
export interface RowError {
  row: number
  field: string | null
  label: string | null
  reason: string
}

export interface CreatedUser {
  row: number
  id: string
  username: string
  name: string
  /** Generated, shown to the administrator in this answer only; the user must change it at first login. */
  initialPassword: string
}

export interface UserImportResult {
  dryRun: boolean
  rows: number
  /** Rows that passed every check (in a dry run: would be created). */
  valid: number
  failed: number
  errors: RowError[]
  created: CreatedUser[]
}

/** How a collection import (`POST /api/imports`, run as a job) treats rows with errors. */
export type ImportMode = 'all-or-nothing' | 'valid-rows-only' | 'dry-run'

/** A collection import job's result. */
export interface ImportResult {
  collection: string
  mode: ImportMode
  /** Data rows read (blank rows not counted). */
  rows: number
  imported: number
  /** Rows refused (each may have several errors). */
  failed: number
  errorCount: number
  /** The first errors (all of them are in the report workbook), by row then field. */
  errors: RowError[]
  /** Header texts that named no importable field. */
  ignoredColumns: string[]
  reportFileId: string | null
  /** All-or-nothing with errors, or a dry run: every write was undone. */
  rolledBack: boolean
  /** A dry run: `valid` rows would be imported by the same file in all-or-nothing mode when `failed` is 0. */
  dryRun: boolean
  /** Rows that passed every check (written, or in a dry run, writable). */
  valid: number
}
