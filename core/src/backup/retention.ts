import type { BackupKind, RetentionPolicy } from '@medaffairs/plugin-sdk'

export type { RetentionPolicy } from '@medaffairs/plugin-sdk'

export interface Dated {
  id: string
  kind: BackupKind
  createdAt: string
}

/** The calendar day in the server's time zone, as the schedule uses it. */
const dayOf = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`

/** The Monday starting the week, in the server's time zone. */
function weekOf(d: Date): string {
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7))
  return dayOf(monday)
}

/** The newest backup of each of the first `n` periods, walking from the newest backup back. */
function newestPerPeriod(sorted: Dated[], n: number, period: (d: Date) => string): string[] {
  const seen = new Set<string>()
  const keep: string[] = []
  for (const b of sorted) {
    const p = period(new Date(b.createdAt))
    if (seen.has(p)) continue
    if (seen.size >= n) break
    seen.add(p)
    keep.push(b.id)
  }
  return keep
}

/**
 * Which backups to keep and which to prune. Pure: the clock is in the backups' own times, so
 * the rule is the same whenever it runs. The newest backup is always kept.
 */
export function planRetention(
  backups: readonly Dated[],
  policy: RetentionPolicy
): { keep: string[]; prune: string[] } {
  const newestFirst = [...backups].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0
  )
  const scheduled = newestFirst.filter((b) => b.kind === 'scheduled')
  const onDemand = newestFirst.filter((b) => b.kind !== 'scheduled')
  const keep = new Set<string>([
    ...newestPerPeriod(scheduled, policy.daily, dayOf),
    ...newestPerPeriod(scheduled, policy.weekly, weekOf),
    ...onDemand.slice(0, Math.max(policy.manual, 0)).map((b) => b.id)
  ])
  if (newestFirst[0]) keep.add(newestFirst[0].id)
  return {
    keep: newestFirst.filter((b) => keep.has(b.id)).map((b) => b.id),
    prune: newestFirst.filter((b) => !keep.has(b.id)).map((b) => b.id)
  }
}
