import { describe, expect, it } from 'vitest'
import { describeSchedule } from './backup-view'

describe('describeSchedule', () => {
  it('reads the default nightly cron as a daily time', () => {
    expect(describeSchedule('0 2 * * *')).toEqual({ kind: 'daily', time: '02:00' })
    expect(describeSchedule(' 30  23 * * * ')).toEqual({ kind: 'daily', time: '23:30' })
  })

  it('reads one weekday as weekly, Sunday as 0 whether written 0 or 7', () => {
    expect(describeSchedule('15 1 * * 1')).toEqual({ kind: 'weekly', time: '01:15', weekday: 1 })
    expect(describeSchedule('0 3 * * 7')).toEqual({ kind: 'weekly', time: '03:00', weekday: 0 })
  })

  it('says there is no schedule for an empty cron', () => {
    expect(describeSchedule('')).toEqual({ kind: 'none' })
  })

  it('keeps any other cron as written', () => {
    for (const cron of ['0 2 1 1 *', '*/15 * * * *', '0 2 * * 1-5', '0 2 * *', '0 24 * * *'])
      expect(describeSchedule(cron)).toEqual({ kind: 'cron', cron })
  })
})
