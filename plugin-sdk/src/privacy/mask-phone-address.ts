import { graphemes, isPhoneDigit, maskPositions } from './mask-parts.js'

/**
 * A leading country code: +86 or 0086 always; other codes only when a separator follows,
 * since "+85212345678" cannot be split without a numbering plan. A bare "86" counts before
 * an 11-digit mobile number.
 */
const COUNTRY_CODE = /^\s*(?:(?:\+|00)(?:86|\d{1,3}(?=[\s\-(]))|86(?=[\s-]?1\d{10}$))[\s-]?/u

function splitCountryCode(value: string): [prefix: string, rest: string] {
  const m = COUNTRY_CODE.exec(value)
  return m ? [m[0], value.slice(m[0].length)] : ['', value]
}

/** 13812345678 → 138****5678; "+86 138 1234 5678" → "+86 138 **** 5678". */
export function maskMobile(value: string, first: number, last: number, mask: string): string {
  const [prefix, rest] = splitCountryCode(value)
  return prefix + maskPositions(graphemes(rest), first, last, mask, isPhoneDigit).join('')
}

/** 0755-12345678 → 0755-******78; (010) 6512 3456 → (010) **** **56. */
export function maskLandline(value: string, last: number, mask: string): string {
  const [prefix, rest] = splitCountryCode(value)
  const area = areaCode(rest, prefix !== '')
  return (
    prefix + area + maskPositions(graphemes(rest.slice(area.length)), 0, last, mask, isPhoneDigit).join('')
  )
}

/**
 * The area code as written, with its bracket or separator. Written apart it is the first
 * group; run together, 010 and 02x have three digits and the others four (without the 0
 * after a country code). Only taken when digits follow it.
 */
function areaCode(rest: string, afterCountryCode: boolean): string {
  const patterns = [
    /^\s*\(0?\d{2,3}\)[\s-]?(?=.*\d)/u,
    /^\s*0\d{2,3}[\s-](?=.*\d)/u,
    afterCountryCode ? /^\s*\d{2,3}[\s-](?=.*\d)/u : /^\s*0(?:[12]\d|[3-9]\d\d)(?=\d{5})/u,
    afterCountryCode ? /^\s*(?:[12]\d|[3-9]\d\d)(?=\d{5})/u : /^$/u
  ]
  for (const p of patterns) {
    const m = p.exec(rest)
    if (m && m[0] !== '') return m[0]
  }
  return ''
}

// Province (省 / 自治区 / 特别行政区), then city (市 / 自治州 / 地区 / 盟), then district or
// county (区 / 县 / 旗 / county-level 市), each optional. Names may not contain the suffixes,
// digits or street words, so "东莞市南城街道…" stops at the city. District names also exclude
// words of estates and compounds (小区, 花园, 社区): a real district so excluded (小店区) is then
// masked too, which errs on the safe side.
const NAME = '[^\\s\\d省市区县旗盟路街道巷弄镇乡村号栋幢楼室]'
const DISTRICT_NAME = '[^\\s\\d省市区县旗盟路街道巷弄镇乡村号栋幢楼室小园苑社院校场厂]'
const ADMIN_PREFIX = new RegExp(
  `^\\s*(?:${NAME}{2,10}?(?:省|自治区|特别行政区)\\s*)?` +
    `(?:${NAME}{1,12}?(?:市|自治州|地区|盟)\\s*)?` +
    `(?:${DISTRICT_NAME}{1,10}?(?:区|县|旗|市)\\s*)?`,
  'u'
)

/**
 * Keeps the address down to the district or county and masks the rest, one mask per
 * character: 广东省深圳市南山区科技园… → 广东省深圳市南山区****. Without a recognisable
 * administrative prefix nothing is kept.
 */
export function maskAddress(value: string, mask: string): string {
  const kept = ADMIN_PREFIX.exec(value)?.[0].trimEnd() ?? ''
  const rest = graphemes(value.slice(kept.length))
  return kept + rest.map((c) => (/^\s$/u.test(c) ? c : mask)).join('')
}
