import {
  checkCharReason,
  checkFull18,
  checkLegacy15,
  idCheckChar,
  illegalCharReason,
  type Checked,
  type DocName,
  type IdFacts,
  type Sex
} from './gb11643.js'
import {
  bilingual,
  compactCode,
  fullYears,
  HMT_REGIONS,
  isoDay,
  PROVINCE_CODES,
  type BilingualText
} from './text.js'

export type IdType = 'resident_id' | 'hmt_permit' | 'passport' | 'foreign_pr' | 'other'
export const ID_TYPES: readonly IdType[] = ['resident_id', 'hmt_permit', 'passport', 'foreign_pr', 'other']

export interface ParsedId {
  ok: true
  type: IdType
  /** Upper-case, without spaces, full-width characters folded; `other` is trimmed instead. */
  normalized: string
  /** `YYYY-MM-DD`; only for resident IDs (both forms) and 港澳台居民居住证. */
  birthDate?: string
  sex?: Sex
  /** The 6-digit GB/T 2260 code of the issuing region (810000/820000/830000 for HMT permits). */
  region?: string
  /** Full years on `onDate` (default: `options.today`, else today); undefined without a birth date or before it. */
  age(onDate?: Date | string): number | undefined
}

export interface IdParseFailure {
  ok: false
  /** The type the input was checked as (given, or detected). */
  type: IdType
  reason: BilingualText
}

export type IdParseResult = ParsedId | IdParseFailure

export interface ParseIdOptions {
  /** The day birth dates may not pass; a `Date` is read in local time. Default: today. */
  today?: Date | string
}

const RESIDENT: DocName = { zh: '身份证号码', en: 'Resident ID number' }
const HMT: DocName = { zh: '港澳台居民居住证号码', en: 'HK/Macau/Taiwan residence permit number' }
const FOREIGN: DocName = { zh: '外国人永久居留身份证号码', en: 'Foreign permanent resident ID number' }
const PASSPORT: DocName = { zh: '护照号码', en: 'Passport number' }
const OTHER: DocName = { zh: '证件号码', en: 'ID number' }

/**
 * Validates an ID number and derives what it encodes. Without `type` the type is detected
 * (see `detectIdType`). A 港澳台居民居住证 number entered as `resident_id` is accepted and
 * reported as `hmt_permit`, because it is commonly entered in the 身份证 field.
 */
export function parseIdNumber(input: string, type?: IdType, options: ParseIdOptions = {}): IdParseResult {
  const text = typeof input === 'string' ? input : ''
  const today = isoDay(options.today ?? new Date())
  const t = type ?? detectIdType(text)
  const code = compactCode(text)
  if (code === '') return failure(t, bilingual('请输入证件号码', 'Enter an ID number'))
  const result = parseAs(t, code, text, today)
  if (!result.ok) return result
  const { birthDate } = result
  const age = (onDate: Date | string = options.today ?? new Date()) =>
    birthDate ? fullYears(birthDate, isoDay(onDate)) : undefined
  return { ...result, age }
}

type Parsed = Omit<ParsedId, 'age'> | IdParseFailure

function parseAs(type: IdType, code: string, raw: string, today: string): Parsed {
  switch (type) {
    case 'resident_id':
      return parseResident(code, today)
    case 'hmt_permit':
      return parseHmt(code, today)
    case 'foreign_pr':
      return parseForeignPr(code)
    case 'passport':
      return parsePassport(code)
    case 'other':
      return parseOther(raw)
    default:
      return failure(type, bilingual(`未知证件类型：${String(type)}`, `unknown ID type: ${String(type)}`))
  }
}

/**
 * The likely type of an ID number. Input that is mostly digits at about ID length counts
 * as a resident ID, so a mistyped one gets a precise error instead of passing as `other`.
 */
export function detectIdType(input: string): IdType {
  const code = compactCode(input)
  const digits = code.replace(/\D/g, '').length
  if (code.length >= 14 && code.length <= 19 && digits >= code.length - 2) {
    if (code.length === 18 && code[0] === '9') return 'foreign_pr'
    if (code.length === 18 && Object.hasOwn(HMT_REGIONS, code.slice(0, 6))) return 'hmt_permit'
    return 'resident_id'
  }
  if (/^[A-Z]{3}\d{12}$/.test(code)) return 'foreign_pr'
  if (/^[A-Z0-9]{5,17}$/.test(code)) return 'passport'
  return 'other'
}

/** The 18-digit form of a legacy 15-digit resident ID. Throws a RangeError if it is not a valid one. */
export function upgradeTo18(legacy15: string): string {
  const code = compactCode(legacy15)
  if (code.length !== 15) throw new RangeError('upgradeTo18 needs a 15-digit resident ID number')
  const parsed = parseResident(code, isoDay(new Date()))
  // The message carries the reason only: an ID number must not end up in a log.
  if (!parsed.ok) throw new RangeError(parsed.reason['en-US'])
  const body = `${code.slice(0, 6)}19${code.slice(6)}`
  return body + idCheckChar(body)
}

function parseResident(code: string, today: string): Parsed {
  if (code.length === 15) {
    const bad = illegalCharReason(code, RESIDENT, false) ?? regionReason(code, RESIDENT)
    return bad
      ? failure('resident_id', bad)
      : fromFacts('resident_id', code, checkLegacy15(code, RESIDENT, today))
  }
  if (code.length !== 18) {
    return failure(
      'resident_id',
      lengthReason(RESIDENT, code, '18位（旧号码15位）', '18 characters (15 in the old form)')
    )
  }
  const bad = illegalCharReason(code, RESIDENT, true)
  if (bad) return failure('resident_id', bad)
  if (Object.hasOwn(HMT_REGIONS, code.slice(0, 6)))
    return fromFacts('hmt_permit', code, checkFull18(code, HMT, today))
  const region = regionReason(code, RESIDENT)
  return region
    ? failure('resident_id', region)
    : fromFacts('resident_id', code, checkFull18(code, RESIDENT, today))
}

function parseHmt(code: string, today: string): Parsed {
  if (code.length !== 18) return failure('hmt_permit', lengthReason(HMT, code, '18位', '18 characters'))
  const prefix = Object.hasOwn(HMT_REGIONS, code.slice(0, 6))
    ? undefined
    : bilingual(
        `${HMT.zh}应以810000（香港）、820000（澳门）或830000（台湾）开头`,
        `${HMT.en} must start with 810000 (Hong Kong), 820000 (Macau) or 830000 (Taiwan)`
      )
  const bad = illegalCharReason(code, HMT, true) ?? prefix
  return bad ? failure('hmt_permit', bad) : fromFacts('hmt_permit', code, checkFull18(code, HMT, today))
}

// 2023 edition: 18 digits starting with 9 and the GB 11643 check character. 2004/2017
// editions: a 3-letter nationality code + 12 digits. The layout of the digits after the 9 is
// not verified here, so no birth date or sex is derived from them.
function parseForeignPr(code: string): Parsed {
  if (code.length === 15) {
    if (/^[A-Z]{3}\d{12}$/.test(code)) return { ok: true, type: 'foreign_pr', normalized: code }
    return failure(
      'foreign_pr',
      bilingual(
        `15位的${FOREIGN.zh}应为3个字母加12位数字`,
        `a 15-character ${FOREIGN.en} is 3 letters and 12 digits`
      )
    )
  }
  if (code.length !== 18) {
    const [zh, en] = ['18位（2023年版）或15位（旧版）', '18 characters (2023 edition) or 15 (older editions)']
    return failure('foreign_pr', lengthReason(FOREIGN, code, zh, en))
  }
  const nine =
    code[0] === '9'
      ? undefined
      : bilingual(`18位的${FOREIGN.zh}首位应为9`, `an 18-digit ${FOREIGN.en} starts with 9`)
  const bad = illegalCharReason(code, FOREIGN, true) ?? nine ?? checkCharReason(code, FOREIGN)
  return bad ? failure('foreign_pr', bad) : { ok: true, type: 'foreign_pr', normalized: code }
}

// Passport numbers differ by country: letters and digits, 5–17 of them, is what all share.
function parsePassport(code: string): Parsed {
  const chars = [...code]
  if (chars.length < 5 || chars.length > 17)
    return failure('passport', lengthReason(PASSPORT, code, '5–17位', '5 to 17 characters'))
  const pos = chars.findIndex((c) => !/[A-Z0-9]/.test(c))
  if (pos < 0) return { ok: true, type: 'passport', normalized: code }
  return failure(
    'passport',
    bilingual(
      `${PASSPORT.zh}第${pos + 1}位“${chars[pos]}”不是合法字符：只能是字母和数字`,
      `${PASSPORT.en}: character ${pos + 1} ("${chars[pos]}") is not allowed; use letters and digits only`
    )
  )
}

// Free text (军官证, 出生医学证明 …): kept as typed, with whitespace runs made one space.
function parseOther(raw: string): Parsed {
  const text = raw.trim().replace(/\s+/gu, ' ')
  const chars = [...text]
  if (chars.length > 40)
    return failure('other', lengthReason(OTHER, text, '1–40个字符', '1 to 40 characters'))
  const pos = chars.findIndex((c) => /\p{C}/u.test(c))
  if (pos < 0) return { ok: true, type: 'other', normalized: text }
  const hex = `U+${chars[pos].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
  return failure(
    'other',
    bilingual(
      `${OTHER.zh}第${pos + 1}个字符（${hex}）不可打印`,
      `${OTHER.en}: character ${pos + 1} (${hex}) is not printable`
    )
  )
}

function regionReason(code: string, doc: DocName): BilingualText | undefined {
  const province = code.slice(0, 2)
  if (PROVINCE_CODES.has(province)) return undefined
  return bilingual(
    `${doc.zh}前两位${province}不是有效的省级行政区划代码`,
    `${doc.en}: the first two digits (${province}) are not a valid province code`
  )
}

function lengthReason(doc: DocName, code: string, expectZh: string, expectEn: string): BilingualText {
  const n = [...code].length
  return bilingual(`${doc.zh}应为${expectZh}，实际为${n}位`, `${doc.en} must have ${expectEn}; got ${n}`)
}

function fromFacts(type: IdType, code: string, checked: Checked<IdFacts>): Parsed {
  return checked.ok ? { ok: true, type, normalized: code, ...checked.value } : failure(type, checked.reason)
}

function failure(type: IdType, reason: BilingualText): IdParseFailure {
  return { ok: false, type, reason }
}
