import { describe, expect, it } from 'vitest'
import { checkCnNumber, checkIssn, issnCheckDigit } from '../../src/privacy/index.js'
import { rng } from './helpers.js'

// The check digit from its definition: the weighted sum including the check digit is a multiple of 11.
function referenceIssnCheck(first7: string): string {
  for (const c of '0123456789X') {
    const value = c === 'X' ? 10 : Number(c)
    const sum = [...first7].reduce((s, d, i) => s + Number(d) * (8 - i), 0) + value
    if (sum % 11 === 0) return c
  }
  throw new Error('unreachable')
}

describe('checkIssn', () => {
  it.each(['0378-5955', '1000-6060', '0028-0836', '0140-6736', '1050-124X', '0000-006X'])(
    'accepts %s',
    (issn) => {
      expect(checkIssn(issn)).toEqual({ ok: true, normalized: issn })
    }
  )

  it('accepts a label, spaces, full-width digits, other dashes, no hyphen and a lowercase x', () => {
    for (const input of [
      'ISSN 1050-124x',
      'issn:1050124X',
      'ISSN：１０５０－１２４Ｘ',
      ' 1050‑124X ',
      '1050–124X'
    ]) {
      expect(checkIssn(input)).toEqual({ ok: true, normalized: '1050-124X' })
    }
  })

  it('names the expected check digit', () => {
    const r = checkIssn('0378-5954')
    expect(r).toMatchObject({ ok: false, expected: '5' })
    expect(!r.ok && r.reason['zh-CN']).toBe('ISSN校验位错误：第8位应为5，实际为4')
    expect(!r.ok && r.reason['en-US']).toContain('should be 5, not 4')
    expect(checkIssn('1050-1240')).toMatchObject({ ok: false, expected: 'X' })
  })

  it.each(['', '1000-606', '1000-60600', '1000-60X0', 'X000-6060', 'ISSN', '1000/6060'])(
    'rejects the shape of %j',
    (bad) => {
      const r = checkIssn(bad)
      expect(r.ok).toBe(false)
      expect(!r.ok && r.reason['en-US']).toContain('NNNN-NNNC')
    }
  )

  it('agrees with the definition and catches every single-digit change (random ISSNs)', () => {
    const next = rng(2024)
    for (let n = 0; n < 300; n++) {
      const first7 = String(Math.floor(next() * 1e7)).padStart(7, '0')
      const check = referenceIssnCheck(first7)
      expect(issnCheckDigit(first7)).toBe(check)
      const issn = `${first7.slice(0, 4)}-${first7.slice(4)}${check}`
      expect(checkIssn(issn).ok).toBe(true)
      const i = Math.floor(next() * 7)
      const changed =
        first7.slice(0, i) + ((Number(first7[i]) + 1 + Math.floor(next() * 9)) % 10) + first7.slice(i + 1)
      expect(checkIssn(`${changed.slice(0, 4)}-${changed.slice(4)}${check}`).ok).toBe(false)
    }
  })

  it('refuses a wrong argument to issnCheckDigit', () => {
    expect(() => issnCheckDigit('123456')).toThrow(RangeError)
  })
})

describe('checkCnNumber', () => {
  it.each([
    ['CN11-2137/R', 'CN11-2137/R'],
    ['CN 11-2154/R', 'CN11-2154/R'],
    ['cn65-1103/x', 'CN65-1103/X'],
    ['11-1234/R', 'CN11-1234/R'],
    ['CN 11 - 2127 / TP', 'CN11-2127/TP'],
    ['ＣＮ４２－１２４１／Ｒ', 'CN42-1241/R'],
    ['CN31‑1300/Q', 'CN31-1300/Q'],
    ['CN111234R', 'CN11-1234/R'],
    ['CN 11-3792/G4', 'CN11-3792/G4']
  ])('accepts %s as %s', (input, normalized) => {
    expect(checkCnNumber(input)).toEqual({ ok: true, normalized })
  })

  it.each([
    '',
    'CN',
    'CN1-1234/R',
    'CN11-123/R',
    'CN11-12345/R',
    'CN11-1234/',
    'CN11-1234/1',
    'ISSN 1000-6060'
  ])('rejects the shape of %j', (bad) => {
    const r = checkCnNumber(bad)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason['zh-CN']).toContain('CN NN-NNNN/分类号')
  })

  it('rejects a province code that does not exist', () => {
    const r = checkCnNumber('CN99-1234/R')
    expect(!r.ok && r.reason['en-US']).toContain('(99) are not a valid province code')
  })
})
