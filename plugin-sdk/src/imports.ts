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
