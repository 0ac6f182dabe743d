import { describe, expect, it } from 'vitest'
import type { ScoreSheet } from '@medaffairs/plugin-sdk'
import { checkSheet, formatPoints, maxTotal, parsePoints, scoreFieldErrors, sheetTotal } from './score'

const zh = (s: string) => ({ 'zh-CN': s })
const SUM: ScoreSheet = {
  criteria: [
    { key: 'novelty', label: zh('先进性'), max: 20 },
    { key: 'safety', label: zh('安全性'), max: 25 },
    { key: 'feasibility', label: zh('可行性'), max: 55 }
  ],
  aggregate: 'trimmed_mean',
  pass: { kind: 'threshold', value: 70 }
}
const WEIGHTED: ScoreSheet = {
  criteria: [
    { key: 'a', label: zh('A'), max: 10, weight: 3 },
    { key: 'b', label: zh('B'), max: 5, weight: 1 }
  ],
  aggregate: 'weighted',
  pass: { kind: 'threshold', value: 60 }
}

describe('score sheet arithmetic', () => {
  it('sums the points and counts criteria not filled in as 0', () => {
    expect(sheetTotal(SUM, { novelty: 18, safety: 22, feasibility: 45 })).toBe(85)
    expect(sheetTotal(SUM, { novelty: 18.5, safety: null })).toBe(18.5)
    expect(maxTotal(SUM)).toBe(100)
  })

  it('weights each criterion by its share of the maximum, on 0–100, like core', () => {
    // (3·8/10 + 1·5/5) / 4 · 100 = (2.4 + 1) / 4 · 100 = 85
    expect(sheetTotal(WEIGHTED, { a: 8, b: 5 })).toBe(85)
    expect(sheetTotal(WEIGHTED, { a: 10 / 3, b: 0 })).toBe(25)
    expect(maxTotal(WEIGHTED)).toBe(100)
  })

  it('formats scores with at most two decimals', () => {
    expect(formatPoints(85)).toBe('85')
    expect(formatPoints(72.5)).toBe('72.5')
    expect(formatPoints(200 / 3)).toBe('66.67')
    expect(formatPoints(null)).toBe('—')
  })

  it('reads typed points strictly', () => {
    expect(parsePoints('12')).toBe(12)
    expect(parsePoints(' 7.5 ')).toBe(7.5)
    expect(parsePoints('')).toBeNull()
    expect(parsePoints('-1')).toBeNull()
    expect(parsePoints('1e2')).toBeNull()
  })

  it('finds empty and out-of-range criteria before sending', () => {
    const { scores, problems } = checkSheet(SUM, { novelty: '21', safety: '', feasibility: '40' })
    expect(problems).toEqual({ novelty: 'range', safety: 'required' })
    expect(scores).toEqual({ feasibility: 40 })
    expect(checkSheet(SUM, { novelty: '20', safety: '0', feasibility: '55' }).problems).toEqual({})
  })

  it('puts the server’s scores.<criterion> errors at the criterion', () => {
    expect(scoreFieldErrors({ 'scores.novelty': '0–20', vote: 'pass or fail' })).toEqual({
      novelty: '0–20',
      vote: 'pass or fail'
    })
  })
})
