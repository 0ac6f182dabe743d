import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupId, type BackupKind } from '../../src/backup/format.js'
import { planRetention } from '../../src/backup/retention.js'
import { BackupRunner } from '../../src/backup/runner.js'
import { listBackups } from '../../src/backup/store.js'
import { coreMigrations } from '../../src/db/core-migrations.js'
import { runMigrations } from '../../src/db/migrations.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'

/** Local noon of a day relative to a fixed Wednesday, so weeks and days are unambiguous. */
const day = (offset: number, hour = 12) => new Date(2026, 10, 25 + offset, hour, 0, 0)
const dated = (at: Date, kind: BackupKind = 'scheduled') => ({
  id: backupId(at, kind),
  kind,
  createdAt: at.toISOString()
})

describe('retention plan (explicit times)', () => {
  it('keeps the newest scheduled backup of each of the last N days and M weeks, and the newest K on-demand ones', () => {
    // 30 nightly backups (day 0 = Wed 2026-11-25 back to day -29), two on day 0, and 3 manual ones.
    const backups = [
      ...Array.from({ length: 30 }, (_, i) => dated(day(-i))),
      dated(day(0, 1)),
      dated(day(-3), 'manual'),
      dated(day(-20), 'manual'),
      dated(day(-25), 'command')
    ]
    const { keep, prune } = planRetention(backups, { daily: 7, weekly: 4, manual: 2 })
    const daily = Array.from({ length: 7 }, (_, i) => dated(day(-i)).id)
    // Weeks start on Monday: the newest of the weeks of day 0, day -3 (Sun 22nd), day -10, day -17.
    const weekly = [0, -3, -10, -17].map((d) => dated(day(d)).id)
    const manual = [dated(day(-3), 'manual').id, dated(day(-20), 'manual').id]
    expect(new Set(keep)).toEqual(new Set([...daily, ...weekly, ...manual]))
    expect(prune).toContain(dated(day(0, 1)).id) // an older one of a day already kept
    expect(prune).toContain(dated(day(-25), 'command').id)
    expect(keep.length + prune.length).toBe(backups.length)
  })

  it('always keeps the newest backup, even with a policy of zero', () => {
    const backups = [dated(day(0)), dated(day(-1))]
    expect(planRetention(backups, { daily: 0, weekly: 0, manual: 0 })).toEqual({
      keep: [backups[0].id],
      prune: [backups[1].id]
    })
  })
})

describe.each(DRIVERS)('retention pruning of real backups on %s', (driver) => {
  let t: TestDb
  let work: string
  beforeAll(async () => {
    t = await createTestDb(driver)
    await runMigrations(t.db, 'core', coreMigrations)
    work = await mkdtemp(join(tmpdir(), 'medaffairs-retention-'))
    await mkdir(join(work, 'files'))
  })
  afterAll(async () => {
    await t.drop()
    await rm(work, { recursive: true, force: true })
  })

  it('each run removes what the policy no longer keeps; unfinished folders are neither listed nor pruned', async () => {
    const root = join(work, 'backups')
    const runner = new BackupRunner({
      db: t.db,
      root,
      filesDir: join(work, 'files'),
      retention: { daily: 2, weekly: 1, manual: 1 },
      appVersion: 'test'
    })
    await mkdir(join(root, `${backupId(day(-9), 'scheduled')}.partial`), { recursive: true })
    const pruned: string[][] = []
    for (const d of [-4, -3, -2, -1, 0])
      pruned.push((await runner.run('scheduled', undefined, undefined, day(d))).pruned)
    pruned.push((await runner.run('manual', undefined, undefined, day(0, 13))).pruned)
    pruned.push((await runner.run('manual', undefined, undefined, day(0, 14))).pruned)
    // daily 2 keeps days 0 and -1; weekly 1 keeps this week's newest (day 0).
    expect(pruned).toEqual([
      [],
      [],
      [dated(day(-4)).id],
      [dated(day(-3)).id],
      [dated(day(-2)).id],
      [],
      [dated(day(0, 13), 'manual').id]
    ])
    expect((await listBackups(root)).map((b) => b.id)).toEqual([
      dated(day(0, 14), 'manual').id,
      dated(day(0)).id,
      dated(day(-1)).id
    ])
    expect(await readdir(root)).toContain(`${backupId(day(-9), 'scheduled')}.partial`)
  }, 60_000)
})
