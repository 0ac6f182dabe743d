import { r } from '../definitions/validate/messages.js'
import { splitList, toBoolean, toDate, toDateTime, toNumber, toText, type Plain } from './cells.js'
import type { Column } from './columns.js'
import { norm, type DictionaryIndex, type Lookups } from './lookups.js'

/** A cell turned into the value to store, or the reason it cannot be. */
export type Converted = { value: unknown; error?: undefined } | { value?: undefined; error: string }
export type Converter = (v: Plain) => Converted

const ok = (value: unknown): Converted => ({ value })
const fail = (error: string): Converted => ({ error })

const NUMBER = r('应为数字', 'must be a number')
const DATE = r('应为日期，如 2024-03-01', 'must be a date such as 2024-03-01')
const DATETIME = r('应为日期时间，如 2024-03-01 08:30', 'must be a date and time such as 2024-03-01 08:30')
const BOOLEAN = r('应填“是”或“否”', 'must be 是 or 否 (yes or no)')
const YEAR = r('应为1900–2100之间的年份', 'must be a year from 1900 to 2100')
const JSON_TEXT = r('应为 JSON 文本', 'must be JSON text')
const DISABLED = r('该选项已停用', 'this option is disabled')

function checkNumber(col: Column, n: number | undefined): Converted {
  if (n === undefined || !Number.isFinite(n)) return fail(NUMBER)
  if (col.min !== undefined && n < col.min)
    return fail(r(`不能小于${col.min}`, `must be at least ${col.min}`))
  if (col.max !== undefined && n > col.max) return fail(r(`不能大于${col.max}`, `must be at most ${col.max}`))
  return ok(n)
}

function checkText(col: Column, v: Plain): Converted {
  const s = toText(v)
  if (col.maxLength !== undefined && s.length > col.maxLength)
    return fail(r(`最多${col.maxLength}个字符`, `at most ${col.maxLength} characters`))
  return ok(s)
}

function year(v: Plain): Converted {
  const n =
    v instanceof Date ? v.getUTCFullYear() : toNumber(typeof v === 'string' ? v.replace(/年$/, '') : v)
  return n !== undefined && Number.isInteger(n) && n >= 1900 && n <= 2100 ? ok(n) : fail(YEAR)
}

function dateRange(v: Plain): Converted {
  const parts = typeof v === 'string' ? v.split(/\s*(?:~|～|至|到|—|--)\s*/) : [v]
  const start = parts[0] === undefined ? undefined : toDate(parts[0])
  const end = parts[1] ? toDate(parts[1]) : null
  if (!start || end === undefined || parts.length > 2)
    return fail(
      r('应为日期区间，如 2024-01-01 ~ 2024-06-30', 'must be a date range such as 2024-01-01 ~ 2024-06-30')
    )
  return ok(end ? { start, end } : { start })
}

function notOption(text: string): string {
  return r(`“${text}”不是可选的值`, `"${text}" is not one of the options`)
}

/** A dictionary item (by code or label) or a fixed option (by value or label). */
function optionMatcher(col: Column, dict: DictionaryIndex | undefined): (text: string) => Converted {
  if (dict) {
    return (text) => {
      const items = dict.find(text)
      if (items.length !== 1)
        return fail(
          items.length
            ? r(`“${text}”有多个同名选项，请填写编码`, `"${text}" names several options: give the code`)
            : notOption(text)
        )
      return items[0].enabled ? ok(items[0].code) : fail(DISABLED)
    }
  }
  const options = col.options ?? []
  return (text) => {
    const n = norm(text)
    const hit = options.find(
      (o) =>
        o.value === text || norm(o.label['zh-CN']) === n || (o.label['en-US'] && norm(o.label['en-US']) === n)
    )
    return hit ? ok(hit.value) : options.length ? fail(notOption(text)) : ok(text)
  }
}

/** A cascader cell: a path of labels or codes (`医师/主任医师`), or a leaf alone when only one item has it. */
function cascader(dict: DictionaryIndex | undefined): Converter {
  return (v) => {
    const text = toText(v)
    if (!dict) return ok(text.split('/').map((s) => s.trim()))
    const parts = text.split(/\s*[/／>＞]\s*/).filter(Boolean)
    const leaf = dict.find(parts[parts.length - 1] ?? '')
    const paths = leaf.map((item) => dict.pathTo(item.code)).filter((p): p is NonNullable<typeof p> => !!p)
    const matching = paths.filter(
      (p) =>
        parts.length === 1 ||
        (p.length === parts.length && p.every((item, i) => dict.find(parts[i]).includes(item)))
    )
    if (matching.length !== 1)
      return fail(
        matching.length
          ? r(`“${text}”有多个同名选项，请填写完整路径`, `"${text}" is ambiguous: give the whole path`)
          : notOption(text)
      )
    return matching[0].every((i) => i.enabled) ? ok(matching[0].map((i) => i.code)) : fail(DISABLED)
  }
}

function userConverter(lookups: Lookups): Converter {
  return (v) => {
    const text = toText(v)
    const found = lookups.usersNamed(text)
    if (found.length === 1) return ok(found[0].id)
    return fail(
      found.length
        ? r(
            `有多名人员叫“${text}”，请填写工号`,
            `several people are called "${text}": give the employee number`
          )
        : r(`找不到人员“${text}”`, `no person "${text}"`)
    )
  }
}

async function departmentConverter(lookups: Lookups): Promise<Converter> {
  const depts = await lookups.departments()
  return (v) => {
    const text = toText(v)
    const byCode = depts.filter((d) => d.code === text)
    const found = byCode.length ? byCode : depts.filter((d) => d.name === text || d.id === text)
    if (found.length === 1) return ok(found[0].id)
    return fail(
      found.length
        ? r(
            `有多个科室叫“${text}”，请填写科室编码`,
            `several departments are called "${text}": give the code`
          )
        : r(`找不到科室“${text}”`, `no department "${text}"`)
    )
  }
}

function jsonConverter(v: Plain): Converted {
  if (typeof v !== 'string') return ok(v)
  try {
    return ok(JSON.parse(v))
  } catch {
    return fail(JSON_TEXT)
  }
}

/** The converter of a column; dictionaries and departments are loaded here, once per job. */
export async function converterFor(col: Column, lookups: Lookups): Promise<Converter> {
  const dict = col.dictionary ? await lookups.dictionary(col.dictionary) : undefined
  switch (col.kind) {
    case 'number':
    case 'money':
    case 'score':
    case 'computed':
      return (v) => checkNumber(col, toNumber(v))
    case 'year':
      return year
    case 'date':
      return (v) => (toDate(v) ? ok(toDate(v)) : fail(DATE))
    case 'datetime':
      return (v) => (toDateTime(v) ? ok(toDateTime(v)) : fail(DATETIME))
    case 'daterange':
      return dateRange
    case 'boolean':
      return (v) => (toBoolean(v) === undefined ? fail(BOOLEAN) : ok(toBoolean(v)))
    case 'select': {
      const match = optionMatcher(col, dict)
      return (v) => match(toText(v))
    }
    case 'multiselect': {
      const match = optionMatcher(col, dict)
      return (v) => {
        const results = splitList(toText(v)).map(match)
        const bad = results.find((x) => x.error)
        return bad ?? ok([...new Set(results.map((x) => x.value))])
      }
    }
    case 'cascader':
      return cascader(dict)
    case 'user':
      return userConverter(lookups)
    case 'department':
      return departmentConverter(lookups)
    case 'region':
      return (v) => ok(typeof v === 'number' ? String(v).padStart(6, '0') : toText(v))
    case 'json':
    case 'subtable':
      return jsonConverter
    default:
      return (v) => checkText(col, v)
  }
}
