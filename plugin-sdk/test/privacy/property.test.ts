import { describe, expect, it } from 'vitest'
import { maskValue, parseIdNumber, upgradeTo18 } from '../../src/privacy/index.js'
import { graphemes } from '../../src/privacy/mask-parts.js'
import { flipDigit, pad, randomResidentId, rng } from './helpers.js'

const TODAY = { today: '2025-06-30' }
const RUNS = 1000

// The age by counting whole years with calendar arithmetic rather than string comparison.
function referenceAge(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number)
  const [oy, om, od] = on.split('-').map(Number)
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0)
}

describe(`${RUNS} random valid resident IDs`, () => {
  const next = rng(11643)
  const cases = Array.from({ length: RUNS }, () => randomResidentId(next))

  it('parse, with birth date, sex, region and age derived', () => {
    for (const c of cases) {
      const r = parseIdNumber(c.id, undefined, TODAY)
      expect(r, c.id).toMatchObject({ ok: true, type: 'resident_id', normalized: c.id })
      if (!r.ok) continue
      expect([r.birthDate, r.sex, r.region], c.id).toEqual([c.birthDate, c.sex, c.region])
      expect(r.age(), c.id).toBe(referenceAge(c.birthDate, TODAY.today))
    }
  })

  it('are rejected after any single-digit change or adjacent swap', () => {
    for (const c of cases) {
      const i = Math.floor(next() * 18)
      const changed = flipDigit(c.id, i, 1 + Math.floor(next() * 9))
      expect(parseIdNumber(changed, 'resident_id', TODAY).ok, `${c.id} → ${changed}`).toBe(false)
      const j = Math.floor(next() * 16)
      if (c.id[j] === c.id[j + 1]) continue
      const swapped = c.id.slice(0, j) + c.id[j + 1] + c.id[j] + c.id.slice(j + 2)
      expect(parseIdNumber(swapped, 'resident_id', TODAY).ok, `${c.id} → ${swapped}`).toBe(false)
    }
  })

  it('mask to the same length, revealing exactly the first 6 and last 4', () => {
    for (const c of cases) {
      const masked = maskValue(c.id, { kind: 'id_number' })
      expect(masked).toHaveLength(18)
      for (let i = 0; i < 18; i++) expect(masked[i], `${c.id} @${i}`).toBe(i < 6 || i >= 14 ? c.id[i] : '*')
    }
  })

  it('survive a 15-digit round trip when born in the 1900s', () => {
    for (const c of cases.filter((x) => x.birthDate < '2000')) {
      const legacy = c.id.slice(0, 6) + c.id.slice(8, 17)
      expect(upgradeTo18(legacy)).toBe(c.id)
      expect(parseIdNumber(legacy, undefined, TODAY)).toMatchObject({
        ok: true,
        birthDate: c.birthDate,
        sex: c.sex
      })
    }
  })
})

describe('random masking', () => {
  const next = rng(42)
  const ALPHABET = [...'0123456789abcXYZ张王李欧阳𠮷é', '👩‍⚕️']
  const randomText = (n: number) =>
    Array.from({ length: n }, () => ALPHABET[Math.floor(next() * ALPHABET.length)])

  it('keep reveals exactly first and last, or nothing when that would be all', () => {
    for (let run = 0; run < RUNS; run++) {
      const chars = randomText(1 + Math.floor(next() * 20))
      const [first, last] = [Math.floor(next() * 8), Math.floor(next() * 8)]
      const out = maskValue(chars.join(''), { kind: 'keep', first, last, char: '#' })
      const expected = chars.map((c, i) =>
        first + last < chars.length && (i < first || i >= chars.length - last) ? c : '#'
      )
      expect(out).toBe(expected.join(''))
    }
  })

  it('mobile numbers keep the first 3 and last 4 digits and the separators', () => {
    for (let run = 0; run < RUNS; run++) {
      const digits = `1${3 + Math.floor(next() * 7)}${pad(Math.floor(next() * 1e9), 9)}`
      const spaced = `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`
      expect(maskValue(digits, { kind: 'mobile' })).toBe(`${digits.slice(0, 3)}****${digits.slice(7)}`)
      expect(maskValue(spaced, { kind: 'mobile' })).toBe(`${digits.slice(0, 3)} **** ${digits.slice(7)}`)
    }
  })

  it('Chinese names keep their length and never come out whole', () => {
    const han = [...'张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗明华国建伟芳娜秀英']
    for (let run = 0; run < RUNS; run++) {
      const name = Array.from(
        { length: 1 + Math.floor(next() * 4) },
        () => han[Math.floor(next() * han.length)]
      ).join('')
      const masked = maskValue(name, { kind: 'name' })
      expect([...masked]).toHaveLength([...name].length)
      expect(masked).not.toBe(name)
      expect(masked).toContain('*')
    }
  })
})

describe('grapheme split without the segmenter', () => {
  // Every range the fast path takes, the edges of those ranges, and characters just outside them.
  const ALPHABET = [
    ...' ~09Azaz\u3000\u303f\u3400\u4dbf\u4e00\u9fff\uff01\uff60医务管理',
    'e\u0301',
    '\u{20BB7}',
    '\r\n',
    '\u00e9',
    '\uff61',
    '👩‍⚕️'
  ]
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  const next = rng(5150)

  it(`splits ${RUNS} random strings as Intl.Segmenter does`, () => {
    for (let i = 0; i < RUNS; i++) {
      const s = Array.from(
        { length: Math.floor(next() * 12) },
        () => ALPHABET[Math.floor(next() * ALPHABET.length)]
      ).join('')
      expect(graphemes(s), JSON.stringify(s)).toEqual(Array.from(segmenter.segment(s), (x) => x.segment))
    }
  })
})
