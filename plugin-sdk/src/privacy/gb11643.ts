import { bilingual, isCalendarDate, type BilingualText } from './text.js'

// GB 11643-1999: ISO 7064 MOD 11-2 over the 17 body digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

/**
 * The check character of a GB 11643 number from its first 17 digits. Resident IDs,
 * 港澳台居民居住证 and the 2023 外国人永久居留身份证 all use it.
 */
export function idCheckChar(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new RangeError('idCheckChar needs exactly 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

/** The document a message is about, in both languages. */
export interface DocName {
  zh: string
  en: string
}

export type Sex = 'male' | 'female'

/** What an ID number itself says about its holder. */
export interface IdFacts {
  birthDate: string
  sex: Sex
  region: string
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: BilingualText }

const fail = (zh: string, en: string): { ok: false; reason: BilingualText } => ({
  ok: false,
  reason: bilingual(zh, en)
})

/** The first character that is not allowed: digits only, except an X in the last place if `lastMayBeX`. */
export function illegalCharReason(
  code: string,
  doc: DocName,
  lastMayBeX: boolean
): BilingualText | undefined {
  const pos = [...code].findIndex(
    (c, i) => !/\d/.test(c) && !(lastMayBeX && i === code.length - 1 && c === 'X')
  )
  if (pos < 0) return undefined
  const c = [...code][pos]
  const ruleZh = lastMayBeX ? `前${code.length - 1}位须为数字，最后一位为数字或X` : '须全部为数字'
  const ruleEn = lastMayBeX
    ? `the first ${code.length - 1} must be digits, the last a digit or X`
    : 'all must be digits'
  return bilingual(
    `${doc.zh}第${pos + 1}位“${c}”不是合法字符：${ruleZh}`,
    `${doc.en}: character ${pos + 1} ("${c}") is not allowed; ${ruleEn}`
  )
}

/** A birth date must exist, fall in 1900 or later and not after `today` (`YYYY-MM-DD`). */
export function checkBirthDate(yyyymmdd: string, today: string): Checked<string> {
  const [y, m, d] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)]
  const iso = `${y}-${m}-${d}`
  if (!isCalendarDate(+y, +m, +d))
    return fail(`出生日期${iso}不存在`, `birth date ${iso} is not a real calendar date`)
  if (+y < 1900) return fail(`出生日期${iso}早于1900年`, `birth date ${iso} is before 1900`)
  if (iso > today) return fail(`出生日期${iso}晚于今天`, `birth date ${iso} is in the future`)
  return { ok: true, value: iso }
}

/** Checks the birth date and check character of 18 characters already known to be 17 digits + digit/X. */
export function checkFull18(code: string, doc: DocName, today: string): Checked<IdFacts> {
  const date = checkBirthDate(code.slice(6, 14), today)
  if (!date.ok) return fail(`${doc.zh}${date.reason['zh-CN']}`, `${doc.en}: ${date.reason['en-US']}`)
  const check = checkCharReason(code, doc)
  if (check) return { ok: false, reason: check }
  return { ok: true, value: { birthDate: date.value, sex: sexOf(code[16]), region: code.slice(0, 6) } }
}

/** Says which check character was expected, so a typo in the last place is easy to spot. */
export function checkCharReason(code: string, doc: DocName): BilingualText | undefined {
  const expected = idCheckChar(code.slice(0, 17))
  const got = code[17]
  if (got === expected) return undefined
  return bilingual(
    `${doc.zh}校验码错误：第18位应为${expected}，实际为${got}`,
    `${doc.en}: bad check digit; the 18th character should be ${expected}, not ${got}`
  )
}

/** The legacy 15-digit form: region(6) + YYMMDD in the 1900s + sequence(3), no check character. */
export function checkLegacy15(code: string, doc: DocName, today: string): Checked<IdFacts> {
  const date = checkBirthDate(`19${code.slice(6, 12)}`, today)
  if (!date.ok) return fail(`${doc.zh}${date.reason['zh-CN']}`, `${doc.en}: ${date.reason['en-US']}`)
  return { ok: true, value: { birthDate: date.value, sex: sexOf(code[14]), region: code.slice(0, 6) } }
}

// The last sequence digit: odd for men, even (including 0) for women.
const sexOf = (digit: string): Sex => (Number(digit) % 2 === 1 ? 'male' : 'female')
