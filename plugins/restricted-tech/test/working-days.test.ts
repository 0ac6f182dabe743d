import { describe, expect, it } from 'vitest'
import { applicationErrors } from '../src/applications.js'
import { CALENDAR_2026 } from '../src/calendar.js'
import { caseErrors } from '../src/cases.js'
import { NATIONAL_CATALOGUE_2022 } from '../src/catalogue.js'
import { filingStatus } from '../src/filings.js'
import { noticeDue } from '../src/reminders.js'
import {
  addWorkingDays,
  isIsoDate,
  isWorkingDay,
  workingDaysBetween,
  type DayKind
} from '../src/working-days.js'

const cal2026 = new Map(CALENDAR_2026.map(([d, k]) => [d, k as DayKind]))
const none = new Map<string, DayKind>()

describe('working days', () => {
  it('counts Monday to Friday without a calendar', () => {
    // 2026-03-02 is a Monday: 15 working days later is Monday 2026-03-23.
    expect(addWorkingDays('2026-03-02', 15, none)).toBe('2026-03-23')
    // From a Friday the count starts on the next Monday.
    expect(addWorkingDays('2026-03-06', 1, none)).toBe('2026-03-09')
    expect(addWorkingDays('2026-03-07', 0, none)).toBe('2026-03-07')
    expect(isWorkingDay('2026-03-07', none)).toBe(false)
  })

  it('skips the National Day holiday and counts its make-up Saturday', () => {
    // First case Wednesday 2026-09-23. Working days after it: 24 (Thu), then 25–27 中秋 off,
    // 28, 29, 30 (Mon–Wed), 1–7 Oct 国庆 off, 8, 9 (Thu, Fri), 10 (Sat, make-up workday), 12…
    const deadline = addWorkingDays('2026-09-23', 15, cal2026)
    const counted = [
      '2026-09-24',
      '2026-09-28',
      '2026-09-29',
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
      '2026-10-12',
      '2026-10-13',
      '2026-10-14',
      '2026-10-15',
      '2026-10-16',
      '2026-10-19',
      '2026-10-20',
      '2026-10-21'
    ]
    expect(deadline).toBe(counted[14])
    expect(isWorkingDay('2026-10-10', cal2026)).toBe(true)
    expect(isWorkingDay('2026-10-05', cal2026)).toBe(false)
    // Without the calendar the same case would be due three weeks earlier.
    expect(addWorkingDays('2026-09-23', 15, none)).toBe('2026-10-14')
  })

  it('treats the Spring Festival make-up Saturdays as working days', () => {
    // Friday 2026-02-13: Sat 14 is worked, 15–23 are off, then Tue 24 onwards.
    expect(addWorkingDays('2026-02-13', 1, cal2026)).toBe('2026-02-14')
    expect(addWorkingDays('2026-02-13', 2, cal2026)).toBe('2026-02-24')
    // Sat 28 is worked too: the 5th working day after 13 Feb is Sat 28 Feb.
    expect(addWorkingDays('2026-02-13', 5, cal2026)).toBe('2026-02-27')
    expect(addWorkingDays('2026-02-13', 6, cal2026)).toBe('2026-02-28')
  })

  it('counts working days between two dates, negative backwards', () => {
    expect(workingDaysBetween('2026-09-30', '2026-10-09', cal2026)).toBe(2)
    expect(workingDaysBetween('2026-10-09', '2026-10-09', cal2026)).toBe(0)
    expect(workingDaysBetween('2026-10-12', '2026-10-08', cal2026)).toBe(-3)
  })

  it('refuses what is not a date', () => {
    expect(isIsoDate('2026-02-30')).toBe(false)
    expect(isIsoDate('2026-2-3')).toBe(false)
    expect(() => addWorkingDays('2026-13-01', 1, none)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-01-05', -1, none)).toThrow(RangeError)
  })
})

describe('filings and notices', () => {
  it('states a filing on a day', () => {
    expect(filingStatus({ deadline: '2026-10-21' }, '2026-10-21')).toBe('pending')
    expect(filingStatus({ deadline: '2026-10-21' }, '2026-10-22')).toBe('overdue')
    expect(filingStatus({ deadline: '2026-10-21', filedDate: '2026-10-21' }, '2026-12-01')).toBe('filed')
    expect(filingStatus({ deadline: '2026-10-21', filedDate: '2026-10-22' }, '2026-12-01')).toBe('filed_late')
  })

  it('picks the nearest notice reached, and overdue after the deadline', () => {
    expect(noticeDue(9, [5, 2, 0])).toBeNull()
    expect(noticeDue(5, [5, 2, 0])).toBe('d5')
    expect(noticeDue(3, [5, 2, 0])).toBe('d5')
    expect(noticeDue(1, [5, 2, 0])).toBe('d2')
    expect(noticeDue(0, [5, 2, 0])).toBe('d0')
    expect(noticeDue(-1, [5, 2, 0])).toBe('overdue')
  })
})

describe('catalogue and form rules', () => {
  it('lists the twelve national items G01–G12 of 2022, 性别重置 as G05', () => {
    expect(NATIONAL_CATALOGUE_2022.map(([c]) => c)).toEqual(
      Array.from({ length: 12 }, (_, i) => `G${String(i + 1).padStart(2, '0')}`)
    )
    expect(NATIONAL_CATALOGUE_2022[4][1]).toBe('性别重置技术')
    expect(NATIONAL_CATALOGUE_2022[10][1]).toBe('体外膜肺氧合（ECMO）技术')
  })

  it('names each failing field of an application', () => {
    const errors = applicationErrors({
      leaderId: 'u9',
      operators: [{ userId: 'u1', role: 'assistant' }, { userId: 'u1', role: 'assistant' }, { role: 'main' }],
      ethicsApproved: false
    })
    expect(errors.map((e) => e.field)).toEqual([
      'operators.1.userId',
      'operators.2.userId',
      'leaderId',
      'ethicsApproved'
    ])
    expect(applicationErrors({ operators: [] }).map((e) => e.field)).toEqual(['operators'])
    expect(
      applicationErrors({ leaderId: 'u1', operators: [{ userId: 'u1', role: 'main' }], ethicsApproved: true })
    ).toEqual([])
  })

  it('keeps death and the outcome 死亡 together, and dates in order', () => {
    expect(caseErrors({ outcome: 'died', death: false }, '2026-11-26').map((e) => e.field)).toEqual(['death'])
    expect(
      caseErrors({ outcome: 'cured', death: true, procedureDate: '2026-11-27' }, '2026-11-26').map(
        (e) => e.field
      )
    ).toEqual(['outcome', 'procedureDate'])
    expect(
      caseErrors(
        { outcome: 'died', death: true, procedureDate: '2026-05-02', deathDate: '2026-05-01' },
        '2026-11-26'
      ).map((e) => e.field)
    ).toEqual(['deathDate'])
  })
})
