import ExcelJS from 'exceljs'
import type { Column, Sheet } from './columns.js'
import type { Lookups } from './lookups.js'

/** Rows of the data sheet that get dropdowns and formats (Excel stores one range per rule). */
export const TEMPLATE_ROWS = 5000
/** Header rows: labels, then the (hidden) field names an import maps columns by. */
export const FIRST_DATA_ROW = 3
/** Excel refuses an inline list longer than 255 characters: longer ones go to a hidden sheet. */
const INLINE_LIST_MAX = 250
export const LISTS_SHEET = '下拉选项'

const KIND_TEXT: Partial<Record<Column['kind'], string>> = {
  number: '数字',
  money: '金额（数字）',
  score: '分数（数字）',
  year: '年份，如 2024',
  date: '日期，如 2024-03-01',
  datetime: '日期时间，如 2024-03-01 08:30',
  daterange: '日期区间，如 2024-01-01 ~ 2024-06-30',
  select: '从下拉列表选择',
  multiselect: '可多选，用“、”分隔',
  cascader: '层级选项，如 上级/下级',
  user: '人员：填写工号，或“姓名(工号)”',
  department: '科室名称或科室编码',
  boolean: '是 / 否',
  region: '6位行政区划代码',
  idnumber: '证件号码',
  mobile: '11位手机号码'
}

const columnLetter = (n: number): string =>
  n <= 0 ? '' : columnLetter(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26))

/** The labels a dropdown offers: enabled dictionary items (leaf paths for cascaders), or fixed options. */
async function choicesOf(col: Column, lookups: Lookups): Promise<string[] | undefined> {
  if (col.kind === 'boolean') return ['是', '否']
  if (col.kind !== 'select' && col.kind !== 'multiselect' && col.kind !== 'cascader') return undefined
  if (!col.dictionary) return col.options?.map((o) => o.label['zh-CN'])
  const dict = await lookups.dictionary(col.dictionary)
  if (col.kind !== 'cascader') return [...dict.byCode.values()].filter((i) => i.enabled).map((i) => i.label)
  return dict
    .leaves()
    .map((leaf) => dict.pathTo(leaf.code))
    .filter((p): p is NonNullable<typeof p> => !!p && p.every((i) => i.enabled))
    .map((p) => p.map((i) => i.label).join('/'))
}

/** A list validation: inline when short and comma-free, else a column of the hidden sheet. */
function listFormula(choices: string[], lists: ExcelJS.Worksheet): string {
  const inline = choices.join(',')
  if (inline.length <= INLINE_LIST_MAX && !choices.some((c) => c.includes(',') || c.includes('"')))
    return `"${inline}"`
  const col = lists.columnCount + 1
  choices.forEach((c, i) => (lists.getCell(i + 1, col).value = c))
  return `'${LISTS_SHEET}'!$${columnLetter(col)}$1:$${columnLetter(col)}$${choices.length}`
}

function styleHeader(cell: ExcelJS.Cell, col: Column): void {
  cell.value = col.required ? `*${col.label}` : col.label
  cell.font = { bold: true, color: { argb: col.required ? 'FFC00000' : 'FF000000' } }
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: col.required ? 'FFFDE9E7' : 'FFEFEFEF' } }
  cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true }
  const hints = [
    `字段：${col.name}`,
    KIND_TEXT[col.kind],
    col.required ? '必填' : col.requiredWhen ? '满足条件时必填' : undefined,
    col.visible ? '仅在满足条件时填写' : undefined
  ]
  cell.note = hints.filter(Boolean).join('\n')
}

function formatColumn(ws: ExcelJS.Worksheet, index: number, col: Column): void {
  const column = ws.getColumn(index)
  column.width = Math.min(40, Math.max(12, [...col.label].length * 2 + 4))
  // Text columns stay text: employee numbers and phones must not become numbers (or 1.38E+10).
  const numFmt =
    col.kind === 'date'
      ? 'yyyy-mm-dd'
      : col.kind === 'datetime'
        ? 'yyyy-mm-dd hh:mm'
        : ['number', 'money', 'score', 'year', 'boolean', 'select', 'multiselect', 'cascader'].includes(
              col.kind
            )
          ? undefined
          : '@'
  // A column style (not 5 000 styled cells): Excel applies it to whatever is typed in.
  if (numFmt) column.numFmt = numFmt
}

/** The instruction sheet: how to fill in, and one line per column. */
function instructions(wb: ExcelJS.Workbook, sheet: Sheet, columns: Column[], skipped: Column[]): void {
  const ws = wb.addWorksheet('填写说明')
  ws.columns = [{ width: 22 }, { width: 18 }, { width: 34 }, { width: 10 }, { width: 50 }]
  const lines = [
    `${sheet.label} 导入模板`,
    '1. 在“数据”工作表中从第 3 行起每行填写一条记录；第 1 行为列名，红色带 * 的列为必填。',
    '2. 第 2 行（已隐藏）为字段代码，导入时据此识别各列：请勿修改或删除；列的顺序可以调整，不需要的非必填列可以删除。',
    '3. 下拉列请从列表中选择（也可填写字典编码）；多选用“、”分隔；层级选项填写“上级/下级”。',
    '4. 日期填写为 2024-03-01 或 Excel 日期；是/否列填写“是”或“否”；人员填写工号，或“姓名(工号)”；科室填写名称或编码。',
    '5. 导入方式：“全部成功才导入”时任何一行有误则整个文件都不导入；“仅导入正确行”时错误行被跳过。两种方式都会生成导入报告（原始行 + 错误原因），修改后可再次导入。',
    `6. 以下字段不在模板中，请导入后在记录页面补录：${skipped.map((c) => c.label).join('、') || '无'}（子表、附件、图片与自动计算字段）。`,
    '7. 导入按您的数据权限逐行检查：超出您权限范围的人员或科室的记录会被拒绝。'
  ]
  lines.forEach((text, i) => {
    const cell = ws.getCell(i + 1, 1)
    cell.value = text
    cell.font = i === 0 ? { bold: true, size: 14 } : {}
    ws.mergeCells(i + 1, 1, i + 1, 5)
  })
  ws.addRow([])
  const table = ws.addRow(['列名', '字段代码', '填写格式', '必填', '说明'])
  table.font = { bold: true }
  for (const c of columns) {
    ws.addRow([
      c.label,
      c.name,
      KIND_TEXT[c.kind] ?? '文本',
      c.required ? '是' : c.requiredWhen ? '条件必填' : '否',
      [
        c.maxLength ? `最多 ${c.maxLength} 字` : '',
        c.min !== undefined ? `最小 ${c.min}` : '',
        c.max !== undefined ? `最大 ${c.max}` : '',
        c.visible ? '仅在满足显示条件时填写' : ''
      ]
        .filter(Boolean)
        .join('；')
    ])
  }
}

/**
 * The import template of a collection: one column per importable field in form order,
 * labels in row 1 (required ones red with `*`), field names in hidden row 2, dropdowns from
 * the dictionaries, formatted date and text columns, an instruction sheet, and a hidden
 * sheet with the long option lists.
 */
export async function buildTemplate(sheet: Sheet, lookups: Lookups): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  // exceljs has the rules collection but its typings leave it out.
  const rules = (ws: ExcelJS.Worksheet) =>
    (ws as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } })
      .dataValidations
  wb.creator = 'MedAffairs'
  const columns = sheet.columns.filter((c) => c.importable)
  const ws = wb.addWorksheet('数据', { views: [{ state: 'frozen', ySplit: 2 }] })
  instructions(
    wb,
    sheet,
    columns,
    sheet.columns.filter((c) => !c.importable)
  )
  const lists = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' })
  const names = ws.getRow(2)
  names.hidden = true
  ws.getRow(1).height = 24
  for (const [i, col] of columns.entries()) {
    styleHeader(ws.getCell(1, i + 1), col)
    names.getCell(i + 1).value = col.name
    formatColumn(ws, i + 1, col)
    const choices = await choicesOf(col, lookups)
    const range = `${columnLetter(i + 1)}${FIRST_DATA_ROW}:${columnLetter(i + 1)}${FIRST_DATA_ROW + TEMPLATE_ROWS - 1}`
    if (choices?.length && col.kind !== 'multiselect') {
      rules(ws).add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [listFormula(choices, lists)],
        showErrorMessage: true,
        errorTitle: col.label,
        error: '请从下拉列表中选择 (choose from the list)'
      })
    } else if (col.kind === 'date') {
      rules(ws).add(range, {
        type: 'date',
        operator: 'greaterThan',
        allowBlank: true,
        formulae: [new Date(Date.UTC(1900, 0, 1))],
        showErrorMessage: true,
        errorTitle: col.label,
        error: '请填写日期，如 2024-03-01 (enter a date)'
      })
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
