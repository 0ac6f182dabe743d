/**
 * Reading backup settings as the page shows them. Pure, so the rules are tested without a browser.
 */

export type Schedule =
  | { kind: 'none' }
  | { kind: 'daily'; time: string }
  | { kind: 'weekly'; time: string; weekday: number }
  /** Any other cron: shown as it is written. */
  | { kind: 'cron'; cron: string }

const NUMBER = /^\d+$/

/** `0 2 * * *` → daily at 02:00, `30 1 * * 0` → weekly on Sunday (0) at 01:30, others stay cron. */
export function describeSchedule(cron: string): Schedule {
  const fields = cron.trim().split(/\s+/)
  if (!cron.trim()) return { kind: 'none' }
  if (fields.length !== 5) return { kind: 'cron', cron }
  const [minute, hour, day, month, weekday] = fields
  if (!NUMBER.test(minute) || !NUMBER.test(hour) || day !== '*' || month !== '*')
    return { kind: 'cron', cron }
  if (Number(minute) > 59 || Number(hour) > 23) return { kind: 'cron', cron }
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`
  if (weekday === '*') return { kind: 'daily', time }
  if (NUMBER.test(weekday) && Number(weekday) <= 7)
    return { kind: 'weekly', time, weekday: Number(weekday) % 7 }
  return { kind: 'cron', cron }
}
