import type { RowError } from '@medaffairs/plugin-sdk'
import { r, REQUIRED } from '../../definitions/validate/messages.js'
import { norm } from '../lookups.js'
import { splitList, toText, type Plain } from '../cells.js'
import type { SheetRow } from '../read-rows.js'

type Doc = Record<string, any>

/** A column of the users sheet: the users field it fills, its header, and whether it must be filled. */
export interface UserColumn {
  field: 'username' | 'name' | 'deptId' | 'roles' | 'title' | 'mobile' | 'email'
  header: string
  en: string
  required?: boolean
  /** How to fill it, shown in the template's header note. */
  hint?: string
}

export const USER_COLUMNS: UserColumn[] = [
  {
    field: 'username',
    header: '工号',
    en: 'Employee number',
    required: true,
    hint: '登录账号，2-32位字母、数字或 _ . -'
  },
  { field: 'name', header: '姓名', en: 'Name', required: true },
  { field: 'deptId', header: '科室', en: 'Department', hint: '科室名称或编码' },
  { field: 'roles', header: '角色', en: 'Roles', hint: '角色编码或名称，多个用“、”分隔' },
  { field: 'title', header: '职称', en: 'Title' },
  { field: 'mobile', header: '手机号码', en: 'Mobile' },
  { field: 'email', header: '电子邮箱', en: 'E-mail' }
]

/** A cell as text; an empty cell is ''. */
export const cellText = (v: Plain | null | undefined): string =>
  v === undefined || v === null ? '' : toText(v).trim()

export const labelOf = (field: string): string | null =>
  USER_COLUMNS.find((c) => c.field === field)?.header ?? null

/** Header text → column: the Chinese or English name, ignoring `*`, notes in brackets, case and width. */
export function mapUserHeader(cells: Array<Plain | undefined>): {
  byIndex: Array<UserColumn | undefined>
  missing: UserColumn[]
} {
  const clean = (v: Plain | undefined) =>
    norm(
      cellText(v)
        .replace(/[*＊]/g, '')
        .replace(/[（(][^）)]*[）)]/g, '')
    )
  const byIndex = cells.map((cell) => {
    const text = clean(cell)
    return USER_COLUMNS.find(
      (c) => text && (text === norm(c.header) || text === norm(c.en) || text === c.field.toLowerCase())
    )
  })
  const missing = USER_COLUMNS.filter((c) => c.required && !byIndex.includes(c))
  return { byIndex, missing }
}

export interface NamedItem {
  id: string
  code: string
  names: string[]
}

/** Finds an item by code, then by any of its names (folded); several matches by name are ambiguous. */
export function findByCodeOrName(items: NamedItem[], text: string): NamedItem[] {
  const byCode = items.filter((i) => i.code === text)
  if (byCode.length) return byCode
  const folded = norm(text)
  return items.filter((i) => i.names.some((n) => norm(n) === folded))
}

export interface UserLookups {
  departments: NamedItem[]
  roles: NamedItem[]
}

export interface UserRow {
  row: number
  data: Doc
}

const NO_DEPT = r('没有该科室', 'no such department')
const AMBIGUOUS_DEPT = r(
  '有多个同名科室，请填写科室编码',
  'several departments have this name; give the code'
)
const DUPLICATE = r('与本文件中前面的行重复', 'repeats an earlier row of this file')

/**
 * One sheet row as a users record (department and roles resolved), with the problems found
 * without the database's help: required cells, unknown department or roles, a repeated
 * employee number. Format checks (mobile, e-mail, employee number) are left to the users
 * service, which answers them per field.
 */
export function userRowOf(
  row: SheetRow,
  columns: Array<UserColumn | undefined>,
  lookups: UserLookups,
  seen: Set<string>
): { data: Doc; errors: RowError[] } {
  const data: Doc = {}
  const errors: RowError[] = []
  const fail = (field: string, reason: string) =>
    errors.push({ row: row.number, field, label: labelOf(field), reason })
  columns.forEach((column, i) => {
    const text = column ? cellText(row.cells[i]) : ''
    if (!column || !text) return
    if (column.field === 'deptId') {
      const found = findByCodeOrName(lookups.departments, text)
      if (found.length === 1) data.deptId = found[0].id
      else fail('deptId', found.length ? AMBIGUOUS_DEPT : NO_DEPT)
    } else if (column.field === 'roles') {
      const names = splitList(text)
      const unknown = names.filter((n) => findByCodeOrName(lookups.roles, n).length !== 1)
      if (unknown.length)
        fail('roles', r(`没有该角色：${unknown.join('、')}`, `unknown roles: ${unknown.join(', ')}`))
      else data.roles = [...new Set(names.map((n) => findByCodeOrName(lookups.roles, n)[0].code))]
    } else {
      data[column.field] = text
    }
  })
  for (const c of USER_COLUMNS) if (c.required && !data[c.field]) fail(c.field, REQUIRED)
  if (typeof data.username === 'string') {
    if (seen.has(data.username)) fail('username', DUPLICATE)
    seen.add(data.username)
  }
  return { data, errors }
}
