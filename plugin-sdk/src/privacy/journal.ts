import { bilingual, compactCode, PROVINCE_CODES, type BilingualText } from './text.js'

export type JournalCodeCheck =
  | { ok: true; normalized: string }
  | {
      ok: false
      reason: BilingualText
      /** The check digit the first seven digits call for, when only it is wrong. */
      expected?: string
    }

// Hyphens, dashes and the minus sign all occur in pasted ISSNs (DOMAIN.md itself uses U+2011).
const DASHES = /[\u2010-\u2015\u2212]/gu

function compactJournalCode(input: string, label: RegExp): string {
  return compactCode(typeof input === 'string' ? input : '')
    .replace(DASHES, '-')
    .replace(label, '')
}

/** The ISSN check digit for its first seven digits: weights 8…2, mod 11, 10 written X. */
export function issnCheckDigit(first7: string): string {
  if (!/^\d{7}$/.test(first7)) throw new RangeError('issnCheckDigit needs exactly 7 digits')
  let sum = 0
  for (let i = 0; i < 7; i++) sum += Number(first7[i]) * (8 - i)
  const digit = (11 - (sum % 11)) % 11
  return digit === 10 ? 'X' : String(digit)
}

/**
 * Checks an ISSN (`NNNN-NNNC`). Accepts an "ISSN" label, spaces, full-width digits, a missing
 * hyphen and a lowercase x; normalizes to `1000-6060`.
 */
export function checkIssn(input: string): JournalCodeCheck {
  const code = compactJournalCode(input, /^ISSN:?/u)
  const m = /^(\d{4})-?(\d{3})([\dX])$/u.exec(code)
  if (!m) {
    return {
      ok: false,
      reason: bilingual(
        'ISSN应为NNNN-NNNC格式（C为数字或X），如1000-6060',
        'an ISSN has the form NNNN-NNNC (C is a digit or X), e.g. 1000-6060'
      )
    }
  }
  const expected = issnCheckDigit(m[1] + m[2])
  if (m[3] === expected) return { ok: true, normalized: `${m[1]}-${m[2]}${m[3]}` }
  return {
    ok: false,
    expected,
    reason: bilingual(
      `ISSN校验位错误：第8位应为${expected}，实际为${m[3]}`,
      `bad ISSN check digit: the 8th character should be ${expected}, not ${m[3]}`
    )
  }
}

/**
 * Checks a 国内统一刊号 (`CN NN-NNNN/class`: province code, serial, 中图法 class such as R or
 * TP). Accepts it with or without "CN", spaces, hyphen or slash; normalizes to `CN11-1234/R`.
 */
export function checkCnNumber(input: string): JournalCodeCheck {
  const code = compactJournalCode(input, /^CN/u)
  const m = /^(\d{2})-?(\d{4})\/?([A-Z]{1,2}\d{0,3})$/u.exec(code)
  if (!m) {
    return {
      ok: false,
      reason: bilingual(
        '国内统一刊号应为CN NN-NNNN/分类号格式，如CN11-1234/R',
        'a CN number has the form CN NN-NNNN/class, e.g. CN11-1234/R'
      )
    }
  }
  if (!PROVINCE_CODES.has(m[1])) {
    return {
      ok: false,
      reason: bilingual(
        `国内统一刊号前两位${m[1]}不是有效的省级代码`,
        `the first two digits of a CN number (${m[1]}) are not a valid province code`
      )
    }
  }
  return { ok: true, normalized: `CN${m[1]}-${m[2]}/${m[3]}` }
}
