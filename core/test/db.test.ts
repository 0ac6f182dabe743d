import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataDirLockedError, openPglite, runMigrations, type Db } from '../src/db/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../tests/support/db.js'
import { readSnapshot } from '@medaffairs/plugin-sdk'
import pg from 'pg'

describe.each(DRIVERS)('Db on %s', (driver) => {
  let t: TestDb
  let db: Db
  beforeAll(async () => {
    t = await createTestDb(driver)
    db = t.db
    await db.query('CREATE TABLE t (id int PRIMARY KEY, v text)')
  })
  afterAll(() => t.drop())

  it('commits a transaction and joins queries made through db inside it', async () => {
    await db.transaction(async () => {
      expect(db.inTransaction()).toBe(true)
      await db.query('INSERT INTO t VALUES (1, $1)', ['a'])
    })
    expect(db.inTransaction()).toBe(false)
    expect((await db.query('SELECT v FROM t WHERE id = 1')).rows).toEqual([{ v: 'a' }])
  })

  it('rolls back everything when the transaction fails midway', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (2, $1)', ['b'])
        await db.query('INSERT INTO t VALUES (1, $1)', ['duplicate'])
      })
    ).rejects.toThrow()
    expect((await db.query('SELECT count(*)::int AS n FROM t WHERE id = 2')).rows[0].n).toBe(0)
  })

  it('rolls back only the failed savepoint of a nested transaction', async () => {
    await db.transaction(async () => {
      await db.query('INSERT INTO t VALUES (3, $1)', ['outer'])
      await expect(
        db.transaction(async () => {
          await db.query('INSERT INTO t VALUES (4, $1)', ['inner'])
          throw new Error('inner fails')
        })
      ).rejects.toThrow('inner fails')
    })
    const ids = (await db.query<{ id: number }>('SELECT id FROM t WHERE id IN (3, 4) ORDER BY id')).rows
    expect(ids.map((r) => r.id)).toEqual([3])
  })

  it('runs atCommit statements last, with their values intact, and drops those of a rolled-back savepoint', async () => {
    await db.query(
      'CREATE TABLE deferred (n serial PRIMARY KEY, v text, j jsonb, x numeric, b boolean, at timestamptz)'
    )
    const hostile = `it's a \\ "quote" $1 $$ 医务 😀 ; COMMIT; DROP TABLE deferred; --`
    const at = new Date('2026-11-26T08:00:00.000Z')
    await db.transaction(async () => {
      await db.atCommit('INSERT INTO deferred (v, j, x, b, at) VALUES ($1, $2, $3, $4, $5)', [
        hostile,
        { k: "o'k" },
        1.5,
        true,
        at
      ])
      // Not yet there: it runs with the COMMIT.
      expect((await db.query('SELECT count(*)::int AS n FROM deferred')).rows[0].n).toBe(0)
      await db.transaction(async () =>
        db.atCommit('INSERT INTO deferred (v) VALUES ($1)', ['kept savepoint'])
      )
      await expect(
        db.transaction(async () => {
          await db.atCommit('INSERT INTO deferred (v) VALUES ($1)', ['rolled back'])
          throw new Error('undo')
        })
      ).rejects.toThrow('undo')
      await db.atCommit('INSERT INTO deferred (v) VALUES ($1)', [null])
    })
    const rows = (await db.query('SELECT v, j, x::float AS x, b, at FROM deferred ORDER BY n')).rows
    expect(rows.map((r) => r.v)).toEqual([hostile, 'kept savepoint', null])
    expect(rows[0]).toMatchObject({ j: { k: "o'k" }, x: 1.5, b: true })
    expect(new Date(rows[0].at).toISOString()).toBe(at.toISOString())
  })

  it('rolls the whole transaction back when an atCommit statement fails, and runs it at once outside one', async () => {
    await expect(
      db.transaction(async () => {
        await db.query('INSERT INTO t VALUES (40, $1)', ['before the failing commit'])
        await db.atCommit('INSERT INTO t VALUES ($1, $2)', [1, 'duplicate key'])
      })
    ).rejects.toThrow()
    expect((await db.query('SELECT count(*)::int AS n FROM t WHERE id = 40')).rows[0].n).toBe(0)
    await db.atCommit('INSERT INTO t VALUES ($1, $2)', [41, 'now'])
    expect((await db.query('SELECT v FROM t WHERE id = 41')).rows).toEqual([{ v: 'now' }])
  })

  it('runs a prepared atCommit statement with its values intact, again after a rollback on the same connection', async () => {
    await db.query('CREATE TABLE prepared_deferred (n serial PRIMARY KEY, v text, at timestamptz, x int)')
    const sql = 'INSERT INTO prepared_deferred (v, at, x) VALUES ($1::text, $2::timestamptz, $3::int)'
    const hostile = `it's a \\ "quote" $1 $$ 医务 😀 ; COMMIT; DROP TABLE prepared_deferred; --`
    const at = new Date('2026-11-26T08:00:00.000Z')
    const write = (v: unknown, x: unknown) =>
      db.atCommit(sql, [v, at, x], { prepare: 'test_prepared_deferred' })
    await db.transaction(() => write(hostile, 1))
    // A failing commit (the cast refuses the value) rolls back; the next transactions reuse the statement.
    await expect(db.transaction(() => write('bad', 'not a number'))).rejects.toThrow()
    for (let i = 2; i <= 12; i++) await db.transaction(() => write(`v${i}`, i))
    await write(null, 13)
    const rows = (await db.query('SELECT v, at, x FROM prepared_deferred ORDER BY n')).rows
    expect(rows.map((r) => r.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    expect(rows[0].v).toBe(hostile)
    expect(rows[12].v).toBeNull()
    expect(rows.every((r) => new Date(r.at).toISOString() === at.toISOString())).toBe(true)
    await expect(
      db.transaction(() => db.atCommit('SELECT 1', [], { prepare: 'bad name; DROP TABLE t' }))
    ).rejects.toThrow(/invalid prepared statement name/)
  })

  it('applies migrations in order, once, and records them', async () => {
    const order: string[] = []
    const migrations = [
      {
        id: '20260102000000-second',
        up: async (q: any) => {
          order.push('second')
          await q.query('ALTER TABLE m ADD b int')
        }
      },
      {
        id: '20260101000000-first',
        up: async (q: any) => {
          order.push('first')
          await q.query('CREATE TABLE m (a int)')
        }
      }
    ]
    expect(await runMigrations(db, 'test', migrations)).toEqual([
      '20260101000000-first',
      '20260102000000-second'
    ])
    expect(await runMigrations(db, 'test', migrations)).toEqual([])
    expect(order).toEqual(['first', 'second'])
    const rec = await db.query('SELECT id FROM _migrations WHERE scope = $1 ORDER BY id', ['test'])
    expect(rec.rows.map((r) => r.id)).toEqual(['20260101000000-first', '20260102000000-second'])
  })

  it('leaves no trace of a migration that fails', async () => {
    const bad = [
      {
        id: '20260103000000-bad',
        up: async (q: any) => {
          await q.query('CREATE TABLE half (a int)')
          await q.query('SELECT nope')
        }
      }
    ]
    await expect(runMigrations(db, 'test', bad)).rejects.toThrow()
    expect((await db.query(`SELECT to_regclass('half') AS r`)).rows[0].r).toBeNull()
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM _migrations WHERE id = '20260103000000-bad'`)).rows[0].n
    ).toBe(0)
  })

  it('rejects badly named or duplicated migration ids before running anything', async () => {
    await expect(runMigrations(db, 'test', [{ id: 'oops', up: async () => undefined }])).rejects.toThrow(
      /must look like/
    )
    const m = { id: '20260104000000-x', up: async () => undefined }
    await expect(runMigrations(db, 'test', [m, m])).rejects.toThrow(/twice/)
  })

  it('reads on one read-only snapshot, and joins a transaction already open', async () => {
    const n = await readSnapshot(db, async () => {
      // In a savepoint: the refused write must not abort the snapshot's transaction.
      await expect(db.transaction(() => db.query('INSERT INTO t VALUES (90, $1)', ['x']))).rejects.toThrow(
        /read-only/
      )
      expect((await db.query('SELECT count(*)::int AS n FROM t WHERE id = 90')).rows[0].n).toBe(0)
      return 1
    })
    expect(n).toBe(1)
    await db.transaction(() => readSnapshot(db, () => db.query('INSERT INTO t VALUES (91, $1)', ['joined'])))
    expect((await db.query('SELECT v FROM t WHERE id IN (90, 91)')).rows).toEqual([{ v: 'joined' }])
  })
})

describe('PGlite data folder lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medaffairs-lock-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('refuses a second owner in another process with a clear message and changes nothing', async () => {
    const db = await openPglite(dir)
    await db.query('CREATE TABLE kept (v int)')
    await db.query('INSERT INTO kept VALUES (42)')
    const script = `import('${join(process.cwd(), 'core/src/db/index.ts')}').then(m => m.openPglite(${JSON.stringify(dir)})).then(() => process.exit(0), e => { console.error(e.message); process.exit(3) })`
    let stderr = ''
    let code = 0
    try {
      execFileSync(join(process.cwd(), 'node_modules/.bin/tsx'), ['-e', script], { stdio: 'pipe' })
    } catch (error: any) {
      code = error.status
      stderr = String(error.stderr)
    }
    expect(code).toBe(3)
    expect(stderr).toMatch(/in use by another MedAffairs process/)
    expect((await db.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }])
    await db.close()
    expect(existsSync(join(dir, '.lock'))).toBe(false)
  })

  it('reopens the folder after the owner closed it, with the data kept', async () => {
    const db = await openPglite(dir)
    expect((await db.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }])
    await expect(openPglite(dir)).rejects.toBeInstanceOf(DataDirLockedError)
    await db.close()
  })
})

// PGlite has one connection: nothing can commit inside another transaction there.
describe('readSnapshot on the server', () => {
  it('keeps every read on the snapshot of its first, while other connections commit', async () => {
    const t = await createTestDb('pg')
    const other = new pg.Client({ connectionString: t.url })
    try {
      await other.connect()
      await t.db.query('CREATE TABLE s (id int PRIMARY KEY)')
      await t.db.query('INSERT INTO s VALUES (1)')
      const count = async () =>
        (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM s')).rows[0].n
      const seen = await readSnapshot(t.db, async () => {
        const first = await count()
        await other.query('INSERT INTO s VALUES (2)')
        return [first, await count()]
      })
      expect(seen).toEqual([1, 1])
      expect(await count()).toBe(2)
    } finally {
      await other.end()
      await t.drop()
    }
  })
})
