import ExcelJS from 'exceljs'
import { USER_COLUMNS, type UserLookups } from './users-sheet.js'

export const USERS_SHEET = '用户'
export const USER_LISTS_SHEET = '科室与角色'

/**
 * The users import template: one header row (required columns marked with `*` and red),
 * a dropdown of department names, and a second sheet listing the departments and roles with
 * their codes, so an administrator can fill either.
 */
export async function buildUsersTemplate(lookups: UserLookups): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet(USERS_SHEET)
  const lists = wb.addWorksheet(USER_LISTS_SHEET)
  ws.columns = USER_COLUMNS.map((c) => ({ width: c.field === 'roles' ? 30 : 18 }))
  USER_COLUMNS.forEach((c, i) => {
    const cell = ws.getCell(1, i + 1)
    cell.value = c.required ? `*${c.header}` : c.header
    cell.font = { bold: true, color: { argb: c.required ? 'FFC00000' : 'FF000000' } }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFDE9E7' : 'FFEFEFEF' } }
    cell.note = [c.en, c.required ? '必填' : undefined, c.hint].filter(Boolean).join('\n')
  })
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  lists.addRow(['科室编码', '科室名称', '', '角色编码', '角色名称'])
  lists.getRow(1).font = { bold: true }
  const height = Math.max(lookups.departments.length, lookups.roles.length)
  for (let i = 0; i < height; i++) {
    const d = lookups.departments[i]
    const r = lookups.roles[i]
    lists.addRow([d?.code ?? null, d?.names[0] ?? null, null, r?.code ?? null, r?.names[0] ?? null])
  }
  const dept = USER_COLUMNS.findIndex((c) => c.field === 'deptId') + 1
  if (lookups.departments.length) {
    const formula = `'${USER_LISTS_SHEET}'!$B$2:$B$${lookups.departments.length + 1}`
    for (let row = 2; row <= 1001; row++)
      ws.getCell(row, dept).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [formula],
        showErrorMessage: false
      }
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
