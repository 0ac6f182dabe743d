import { BadRequest } from '@feathersjs/errors'
import type { Params } from '@feathersjs/feathers'
import type { Actor, CreatedUser, RowError, UserImportResult } from '@medaffairs/plugin-sdk'
import { r } from '../../definitions/validate/messages.js'
import { permissionFor } from '../../identity/acl.js'
import { requireRights, type CallerParams } from '../caller.js'
import type { TransferDeps } from '../deps.js'
import { sourceFile, sourceRows } from '../import-job.js'
import { isBlank, XLSX_MIME, type SheetRow } from '../read-rows.js'
import { asCaller } from '../services.js'
import { buildUsersTemplate } from './users-template.js'
import {
  labelOf,
  mapUserHeader,
  userRowOf,
  type NamedItem,
  type UserLookups,
  type UserRow
} from './users-sheet.js'

type Doc = Record<string, any>
type ImportParams = Params & { actor?: Actor; ip?: string }

/** Users per file: each new user's password is hashed with bcrypt during the request. */
export const MAX_USER_ROWS = 1000

class Rollback extends Error {}

const EXISTS = r('该工号已存在', 'this employee number already exists')
const NOT_WRITABLE = r('无权填写（由有权限的管理员分配）', 'you may not set this field')

async function lookupsOf(deps: TransferDeps): Promise<UserLookups> {
  const all = (path: string) =>
    deps.app.service(path).find({ paginate: false, query: { $limit: 10_000 } }) as Promise<Doc[]>
  const [departments, roles] = await Promise.all([all('departments'), all('roles')])
  const named = (d: Doc, names: unknown[]): NamedItem => ({
    id: d.id,
    code: d.code,
    names: names.filter((n): n is string => typeof n === 'string' && !!n)
  })
  return {
    departments: departments.map((d) => named(d, [d.name])),
    roles: roles.map((d) => named(d, [d.name?.['zh-CN'], d.name?.['en-US']]))
  }
}

/** The errors a refused create carries, per field of the row. */
function errorsOf(row: number, error: unknown): RowError[] {
  const e = error as {
    code?: number
    message?: string
    errors?: unknown
    data?: { errors?: unknown; fields?: unknown }
  }
  const at = (field: string | null, reason: string): RowError => ({
    row,
    field,
    label: field ? labelOf(field) : null,
    reason
  })
  if (e.code === 403 && Array.isArray(e.data?.fields))
    return (e.data.fields as string[]).map((f) => at(f, NOT_WRITABLE))
  if (e.code === 409) return [at('username', EXISTS)]
  const list = (e.errors ?? e.data?.errors) as Array<{ field?: string; reason?: string }> | undefined
  if (Array.isArray(list) && list.length)
    return list.map((i) => at(i.field ?? null, i.reason ?? String(e.message)))
  if (typeof e.code === 'number' && e.code < 500) return [at(null, e.message ?? String(error))]
  throw error
}

/** Reads the sheet into user rows, collecting what can be told without writing. */
async function readUserRows(
  deps: TransferDeps,
  params: CallerParams,
  fileId: unknown
): Promise<{ rows: UserRow[]; errors: RowError[]; count: number }> {
  const source = await sourceFile(deps, params, fileId as string)
  const lookups = await lookupsOf(deps)
  const it = sourceRows(deps, source)
  const rows: UserRow[] = []
  const errors: RowError[] = []
  const seen = new Set<string>()
  let header: ReturnType<typeof mapUserHeader> | undefined
  let count = 0
  for await (const row of it as AsyncIterable<SheetRow>) {
    if (isBlank(row)) continue
    if (!header) {
      header = mapUserHeader(row.cells)
      if (header.missing.length)
        return {
          rows,
          count,
          errors: header.missing.map((c) => ({
            row: row.number,
            field: c.field,
            label: c.header,
            reason: r('缺少必填列', 'required column missing')
          }))
        }
      continue
    }
    if (++count > MAX_USER_ROWS)
      throw new BadRequest(`一次最多导入 ${MAX_USER_ROWS} 个用户 (at most ${MAX_USER_ROWS} users per file)`, {
        errors: [{ field: 'fileId', reason: 'too many rows' }]
      })
    const { data, errors: found } = userRowOf(row, header.byIndex, lookups, seen)
    if (found.length) errors.push(...found)
    else rows.push({ row: row.number, data })
  }
  if (!header)
    errors.push({
      row: 1,
      field: null,
      label: null,
      reason: r('文件中没有表头行', 'the file has no header row')
    })
  return { rows, errors, count }
}

/** Fields of the rows the caller may not write (separation of duties: roles belong to the security administrator). */
function unwritable(actor: Actor, rows: UserRow[]): RowError[] {
  const writable = permissionFor(actor, 'users', 'create', 'system').writeFields
  if (!writable) return []
  return rows.flatMap(({ row, data }) =>
    Object.keys(data)
      .filter((f) => !writable.has(f))
      .map((f) => ({ row, field: f, label: labelOf(f), reason: NOT_WRITABLE }))
  )
}

/**
 * `user-imports`: `find` → the template (base64); `create {fileId, dryRun}` → every row checked
 * through the users service in one transaction, undone when any row fails or on a dry run.
 * Generated initial passwords are in the answer only, never stored in clear.
 */
export class UserImportsService {
  constructor(private readonly deps: TransferDeps) {}

  async find(params: ImportParams): Promise<{ name: string; mime: string; size: number; base64: string }> {
    requireRights(actorOf(params), 'users', 'system', ['import'])
    const bytes = await buildUsersTemplate(await lookupsOf(this.deps))
    return {
      name: '用户_导入模板.xlsx',
      mime: XLSX_MIME,
      size: bytes.length,
      base64: bytes.toString('base64')
    }
  }

  async create(data: Doc, params: ImportParams): Promise<UserImportResult> {
    const actor = actorOf(params)
    requireRights(actor, 'users', 'system', ['import', 'create'])
    if (typeof data?.fileId !== 'string')
      throw new BadRequest('参数不正确 (invalid request)', {
        errors: [{ field: 'fileId', reason: r('必填', 'required') }]
      })
    if (data.dryRun !== undefined && typeof data.dryRun !== 'boolean')
      throw new BadRequest('参数不正确 (invalid request)', {
        errors: [{ field: 'dryRun', reason: 'true | false' }]
      })
    const dryRun = data.dryRun === true
    const caller = asCaller(params)
    const read = await readUserRows(this.deps, caller, data.fileId)
    const errors = [...read.errors, ...unwritable(actor, read.rows), ...(await this.existing(read.rows))]
    // Rows already refused are not tried: the users service would only repeat the refusal.
    const refused = new Set(errors.map((e) => e.row))
    const created = await this.write(
      read.rows.filter((row) => !refused.has(row.row)),
      caller,
      dryRun,
      errors
    )
    errors.sort((a, b) => a.row - b.row || String(a.field ?? '').localeCompare(String(b.field ?? '')))
    const failed = new Set(errors.map((e) => e.row)).size
    return {
      dryRun,
      rows: read.count,
      valid: read.count - failed,
      failed,
      errors,
      created: dryRun || errors.length ? [] : created
    }
  }

  /** Rows whose employee number a live user already has. */
  private async existing(rows: UserRow[]): Promise<RowError[]> {
    const names = rows.map((r) => r.data.username as string)
    if (!names.length) return []
    const found = (await this.deps.app
      .service('users')
      .find({ query: { username: { $in: names }, $select: ['username'] }, paginate: false })) as Doc[]
    const taken = new Set(found.map((u) => u.username))
    return rows
      .filter((r) => taken.has(r.data.username))
      .map(({ row }) => ({ row, field: 'username', label: labelOf('username'), reason: EXISTS }))
  }

  /** Creates every row as the caller (savepoint each), then keeps all or nothing. */
  private async write(
    rows: UserRow[],
    caller: CallerParams,
    dryRun: boolean,
    errors: RowError[]
  ): Promise<CreatedUser[]> {
    const created: CreatedUser[] = []
    if (errors.length && !rows.length) return created
    // Rows are only checked when nothing will be kept: no password is generated and hashed then.
    const checkOnly = dryRun || errors.length > 0
    try {
      await this.deps.db.transaction(async () => {
        for (const { row, data } of rows) {
          const params = { ...caller, query: {}, ...(checkOnly ? { skipCredentials: true } : {}) } as Params
          try {
            const user = (await this.deps.db.transaction(() =>
              this.deps.app.service('users').create({ ...data }, params)
            )) as Doc
            created.push({
              row,
              id: user.id,
              username: user.username,
              name: user.name,
              initialPassword: user.initialPassword
            })
          } catch (error) {
            errors.push(...errorsOf(row, error))
          }
        }
        if (errors.length || dryRun) throw new Rollback()
      })
    } catch (error) {
      if (!(error instanceof Rollback)) throw error
    }
    return created
  }
}

function actorOf(params: ImportParams): Actor {
  if (!params.actor) throw new BadRequest('需要用户身份 (a user is needed)')
  return params.actor
}
