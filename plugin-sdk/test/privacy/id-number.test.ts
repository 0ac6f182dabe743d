import { describe, expect, it } from 'vitest'
import {
  detectIdType,
  idCheckChar,
  parseIdNumber,
  upgradeTo18,
  type IdParseResult
} from '../../src/privacy/index.js'
import { flipDigit, referenceCheckChar, withCheck } from './helpers.js'

const TODAY = { today: '2025-06-30' }
const parse = (input: string, type?: Parameters<typeof parseIdNumber>[1]) => parseIdNumber(input, type, TODAY)

function reasonOf(r: IdParseResult): { zh: string; en: string } {
  if (r.ok) throw new Error(`expected a failure, got ${r.normalized}`)
  return { zh: r.reason['zh-CN'], en: r.reason['en-US'] }
}

describe('resident ID, 18 digits', () => {
  it('accepts the GB 11643 example and derives birth date, sex and region', () => {
    const r = parse('11010519491231002X')
    expect(r).toMatchObject({ ok: true, type: 'resident_id', normalized: '11010519491231002X' })
    expect(r).toMatchObject({ birthDate: '1949-12-31', sex: 'female', region: '110105' })
  })

  it('accepts a lowercase x, spaces and full-width digits, and normalizes them', () => {
    expect(parse(' 110105 19491231 002x ')).toMatchObject({ ok: true, normalized: '11010519491231002X' })
    expect(parse('１１０１０５１９４９１２３１００２ｘ')).toMatchObject({
      ok: true,
      normalized: '11010519491231002X'
    })
  })

  it('reads the 17th digit: odd is male, even (including 0) is female', () => {
    for (const [seq, sex] of [
      ['001', 'male'],
      ['009', 'male'],
      ['000', 'female'],
      ['008', 'female']
    ] as const) {
      expect(parse(withCheck(`44030519850615${seq}`))).toMatchObject({ ok: true, sex })
    }
  })

  it('computes the same check character as the reference for every body digit change', () => {
    const body = '44030519850615123'
    for (let i = 0; i < 17; i++) {
      for (let by = 1; by < 10; by++) {
        const changed = flipDigit(body, i, by)
        expect(idCheckChar(changed)).toBe(referenceCheckChar(changed))
      }
    }
  })

  it('rejects any single changed digit and names the expected check character', () => {
    const valid = withCheck('44030519850615123')
    for (let i = 0; i < 18; i++) {
      const changed = flipDigit(valid, i)
      const r = parse(changed)
      expect(r.ok, `digit ${i + 1} changed: ${changed}`).toBe(false)
    }
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0')
    const reason = reasonOf(parse(wrongCheck))
    expect(reason.zh).toContain(`第18位应为${valid[17]}`)
    expect(reason.en).toContain(`should be ${valid[17]}`)
  })

  it('handles leap years: 1900-02-29 does not exist, 2000-02-29 and 2024-02-29 do', () => {
    expect(reasonOf(parse(withCheck('11010519000229001'))).en).toContain(
      '1900-02-29 is not a real calendar date'
    )
    expect(parse(withCheck('11010520000229001'))).toMatchObject({ ok: true, birthDate: '2000-02-29' })
    expect(parse(withCheck('11010520240229002'))).toMatchObject({ ok: true, birthDate: '2024-02-29' })
    expect(parse(withCheck('11010520230229002')).ok).toBe(false)
  })

  it('rejects impossible months and days', () => {
    for (const date of ['19901301', '19900001', '19900431', '19900100', '19901232']) {
      expect(reasonOf(parse(withCheck(`110105${date}001`))).zh).toContain('不存在')
    }
  })

  it('rejects birth dates before 1900 and after today', () => {
    // GB 11643's own second example (born 1880) falls under the 1900 floor.
    expect(reasonOf(parse('440524188001010014')).en).toContain('before 1900')
    expect(reasonOf(parse(withCheck('11010520250701001'))).en).toContain('2025-07-01 is in the future')
    expect(parse(withCheck('11010520250630001'))).toMatchObject({ ok: true, birthDate: '2025-06-30' })
  })

  it('uses the real date when no today is given', () => {
    expect(parseIdNumber(withCheck('11010520990101001')).ok).toBe(false)
    expect(parseIdNumber(withCheck('11010519900101001')).ok).toBe(true)
  })

  it('reports the wrong length with the count', () => {
    const r = reasonOf(parse('1101051949123100'))
    expect(r.zh).toBe('身份证号码应为18位（旧号码15位），实际为16位')
    expect(r.en).toContain('got 16')
  })

  it('reports the first illegal character and its position', () => {
    const r = reasonOf(parse('110105194912310A2X', 'resident_id'))
    expect(r.zh).toContain('第16位“A”')
    expect(r.en).toContain('character 16 ("A")')
    expect(reasonOf(parse('X10105194912310021', 'resident_id')).en).toContain('character 1 ("X")')
  })

  it('rejects an unknown province code', () => {
    expect(reasonOf(parse(withCheck('00010519491231002'))).en).toContain('(00) are not a valid province code')
    expect(reasonOf(parse(withCheck('71010019491231002'), 'resident_id')).en).toContain('(71)')
  })

  it('says what to enter when the input is blank', () => {
    expect(reasonOf(parse('   ')).zh).toBe('请输入证件号码')
    expect(reasonOf(parse('', 'passport')).en).toBe('Enter an ID number')
  })
})

describe('resident ID, legacy 15 digits', () => {
  it('derives the 19YY birth date and sex from the 15th digit', () => {
    expect(parse('110105491231002')).toMatchObject({
      ok: true,
      type: 'resident_id',
      normalized: '110105491231002',
      birthDate: '1949-12-31',
      sex: 'female',
      region: '110105'
    })
    expect(parse('440305850615123')).toMatchObject({ ok: true, sex: 'male', birthDate: '1985-06-15' })
  })

  it('rejects impossible dates, letters and bad regions', () => {
    expect(reasonOf(parse('110105000229001')).en).toContain('1900-02-29')
    expect(parse('110105960229001')).toMatchObject({ ok: true, birthDate: '1996-02-29' })
    expect(reasonOf(parse('11010549123100X', 'resident_id')).en).toContain('all must be digits')
    expect(reasonOf(parse('990105491231002', 'resident_id')).en).toContain('province')
  })

  it('upgrades to 18 digits and round-trips', () => {
    expect(upgradeTo18('110105491231002')).toBe('11010519491231002X')
    for (const legacy of ['440305850615123', '310104700101000', '650102991231999']) {
      const upgraded = upgradeTo18(legacy)
      const [a, b] = [parse(legacy), parse(upgraded)]
      expect(b.ok).toBe(true)
      if (!a.ok || !b.ok) continue
      expect([b.birthDate, b.sex, b.region]).toEqual([a.birthDate, a.sex, a.region])
      expect(upgraded.slice(0, 6) + upgraded.slice(8, 17)).toBe(legacy)
    }
  })

  it('refuses to upgrade anything but a valid 15-digit number, without echoing it', () => {
    expect(() => upgradeTo18('11010519491231002X')).toThrow(RangeError)
    expect(() => upgradeTo18('110105491331002')).toThrow('not a real calendar date')
    try {
      upgradeTo18('110105491331002')
    } catch (e) {
      expect((e as Error).message).not.toContain('110105491331002')
    }
  })
})

describe('港澳台居民居住证', () => {
  it('accepts 810000/820000/830000 numbers with a valid check character', () => {
    for (const prefix of ['810000', '820000', '830000']) {
      const id = withCheck(`${prefix}19900307001`)
      expect(parse(id, 'hmt_permit')).toMatchObject({
        ok: true,
        type: 'hmt_permit',
        region: prefix,
        sex: 'male'
      })
      expect(parse(id)).toMatchObject({ ok: true, type: 'hmt_permit' })
    }
  })

  it('is reported as hmt_permit when entered as a resident ID', () => {
    expect(parse(withCheck('82000019900307002'), 'resident_id')).toMatchObject({
      ok: true,
      type: 'hmt_permit'
    })
  })

  it('rejects other prefixes, a bad check character and bad dates', () => {
    expect(reasonOf(parse(withCheck('81010019900307001'), 'hmt_permit')).zh).toContain('应以810000')
    expect(reasonOf(parse(withCheck('11010519900307001'), 'hmt_permit')).en).toContain(
      'must start with 810000'
    )
    expect(reasonOf(parse(flipDigit(withCheck('83000019900307001'), 17))).en).toContain('bad check digit')
    expect(reasonOf(parse(withCheck('83000019900230001'))).en).toContain('1990-02-30')
    expect(reasonOf(parse('8100001990030700', 'hmt_permit')).en).toContain('must have 18 characters; got 16')
  })
})

describe('外国人永久居留身份证', () => {
  it('accepts the 18-digit form starting with 9 with a valid check character', () => {
    const id = withCheck('93384019850615001')
    expect(parse(id)).toEqual(expect.objectContaining({ ok: true, type: 'foreign_pr', normalized: id }))
    expect(parse(id.toLowerCase(), 'foreign_pr')).toMatchObject({ ok: true })
  })

  it('derives no birth date or sex from the 18-digit form', () => {
    const r = parse(withCheck('93384019850615001'))
    expect(r.ok && [r.birthDate, r.sex, r.age()]).toEqual([undefined, undefined, undefined])
  })

  it('accepts the older 3 letters + 12 digits form', () => {
    expect(parse('usa110085061512')).toMatchObject({
      ok: true,
      type: 'foreign_pr',
      normalized: 'USA110085061512'
    })
  })

  it('rejects a bad check character, a first digit other than 9 and malformed old numbers', () => {
    expect(reasonOf(parse(flipDigit(withCheck('93384019850615001'), 17))).en).toContain('should be')
    expect(reasonOf(parse(withCheck('13384019850615001'), 'foreign_pr')).en).toContain('starts with 9')
    expect(reasonOf(parse('US1110085061512', 'foreign_pr')).en).toContain('3 letters and 12 digits')
    expect(reasonOf(parse('USA11008506151', 'foreign_pr')).en).toContain('got 14')
  })
})

describe('passports and other documents', () => {
  it('accepts common passport numbers, upper-cased', () => {
    for (const n of ['E12345678', 'ea1234567', 'G12345678', '123456789', 'K1234567', 'PA12345']) {
      expect(parse(n, 'passport')).toMatchObject({ ok: true, type: 'passport', normalized: n.toUpperCase() })
    }
  })

  it('rejects passport numbers with symbols or of the wrong length', () => {
    expect(reasonOf(parse('E1234-5678', 'passport')).en).toContain('character 6 ("-")')
    expect(reasonOf(parse('E123', 'passport')).en).toContain('5 to 17')
    expect(reasonOf(parse('E'.repeat(18), 'passport')).zh).toContain('实际为18位')
  })

  it('accepts printable free text up to 40 characters as other', () => {
    expect(parse('  南字第 0012345 号  ', 'other')).toMatchObject({
      ok: true,
      normalized: '南字第 0012345 号'
    })
    expect(parse('𠮷'.repeat(40), 'other').ok).toBe(true)
    expect(reasonOf(parse('字'.repeat(41), 'other')).en).toContain('got 41')
    expect(reasonOf(parse('abc\u0000def', 'other')).en).toContain('character 4 (U+0000) is not printable')
    expect(reasonOf(parse('abc\u200bdef', 'other')).zh).toContain('U+200B')
  })

  it('rejects an unknown type given at run time', () => {
    expect(reasonOf(parse('E12345678', 'visa' as never)).en).toBe('unknown ID type: visa')
  })
})

describe('type detection', () => {
  it.each([
    ['11010519491231002X', 'resident_id'],
    ['110105491231002', 'resident_id'],
    ['81000019900307001X', 'hmt_permit'],
    ['933840198506150011', 'foreign_pr'],
    ['USA110085061512', 'foreign_pr'],
    ['E12345678', 'passport'],
    ['南字第0012345号', 'other'],
    // Mostly digits at about ID length: a mistyped resident ID, not free text.
    ['11010519491231002A', 'resident_id'],
    ['1101051949123100', 'resident_id'],
    ['1101051949123100211', 'resident_id']
  ])('%s is %s', (input, type) => {
    expect(detectIdType(input)).toBe(type)
  })

  it('reports a mistyped ID as a resident ID failure instead of accepting it as other', () => {
    expect(parse('11010519491231002A')).toMatchObject({ ok: false, type: 'resident_id' })
  })
})

describe('age', () => {
  const r = parse(withCheck('11010519800229001'))
  const age = (on: string) => (r.ok ? r.age(on) : NaN)

  it('counts full years, a 29 February birthday from 1 March in common years', () => {
    expect(age('2025-02-28')).toBe(44)
    expect(age('2025-03-01')).toBe(45)
    expect(age('2024-02-28')).toBe(43)
    expect(age('2024-02-29')).toBe(44)
    expect(age('1980-02-29')).toBe(0)
    expect(age('1980-02-28')).toBeUndefined()
  })

  it('defaults to the parse day and accepts a Date', () => {
    expect(r.ok && r.age()).toBe(45)
    expect(r.ok && r.age(new Date(2030, 1, 28))).toBe(49)
    expect(() => r.ok && r.age('2030-02-30')).toThrow(RangeError)
  })
})
