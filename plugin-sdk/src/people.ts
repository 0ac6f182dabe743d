/**
 * `GET /api/people`: the colleague directory every signed-in user may search (pickers of
 * user fields). Shared by the core service and the web app; nothing beyond these fields.
 */
export interface Person {
  id: string
  /** The employee number (工号), also the login id. */
  username: string
  name: string
  deptId: string | null
  deptName: { 'zh-CN': string; 'en-US': string } | null
}

/** Rows per page at most (default `PEOPLE_DEFAULT_LIMIT`). */
export const PEOPLE_MAX_LIMIT = 50
export const PEOPLE_DEFAULT_LIMIT = 10
/** Ids one `?ids=` call may name. */
export const PEOPLE_MAX_IDS = 500
/** What a record id (a user, a department) looks like; `?ids=` refuses anything else. */
export const RECORD_ID_PATTERN = /^[\w.:-]{1,64}$/
