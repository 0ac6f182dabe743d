import type { CollectionDefinition, Db } from '@medaffairs/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DocumentAdapter,
  encodeCursor,
  ensureCollectionTable,
  indexName,
  indexPlan,
  syncIndexes,
  translateQuery
} from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'

const DEF: CollectionDefinition = {
  name: 'plans',
  fields: [
    { name: 'age', type: 'number', filterable: true },
    { name: 'code', type: 'string', filterable: true, sortable: true },
    { name: 'tags', type: 'array', items: 'string', filterable: true },
    { name: 'address.city', type: 'string', filterable: true },
    { name: 'born', type: 'date', sortable: true },
    { name: 'note', type: 'string' }
  ]
}

async function indexNames(db: Db, table: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass($1) ORDER BY 1`,
    [table]
  )
  return rows.map((r) => r.name)
}

/** The plan of the translator's own SQL with sequential scans discouraged (same connection). */
async function plan(db: Db, query: Record<string, unknown>): Promise<string> {
  const t = translateQuery(query, DEF)
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off')
    const limit = query.$limit ? ` LIMIT ${Number(query.$limit)}` : ''
    const sql = `EXPLAIN (FORMAT JSON) SELECT id FROM c_plans WHERE deleted_at IS NULL AND ${t.where} ORDER BY ${t.orderBy}${limit}`
    const { rows } = await tx.query<Record<string, unknown>>(sql, t.params)
    return JSON.stringify(rows[0]['QUERY PLAN'])
  })
}

describe.each(DRIVERS)('indexes on %s', (driver) => {
  let t: TestDb

  beforeAll(async () => {
    t = await createTestDb(driver)
    await ensureCollectionTable(t.db, DEF)
    const adapter = new DocumentAdapter({ db: t.db, definition: DEF })
    await adapter._create(
      Array.from({ length: 3000 }, (_, i) => ({
        age: i % 90,
        code: `C${String(i).padStart(5, '0')}`,
        tags: [`t${i % 13}`],
        address: { city: `city${i % 40}` },
        born: `19${String(i % 100).padStart(2, '0')}-01-01`
      }))
    )
    await t.db.query('ANALYZE c_plans')
  })
  afterAll(() => t.drop())

  it('creates the declared indexes with deterministic names', async () => {
    expect(await indexNames(t.db, 'c_plans')).toEqual(
      [
        'c_plans__address__city_idx',
        'c_plans__age_idx',
        'c_plans__born_idx',
        'c_plans__code_idx',
        'c_plans__sys_deleted',
        'c_plans__sys_dept',
        'c_plans__sys_owner',
        'c_plans__tags_gin',
        'c_plans_pkey'
      ].sort()
    )
  })

  it.each([
    ['number equality', { age: 42 }, 'c_plans__age_idx'],
    ['number range', { age: { $gte: 88 } }, 'c_plans__age_idx'],
    ['number as text', { age: { $in: ['7', 8] } }, 'c_plans__age_idx'],
    ['string equality', { code: 'C00042' }, 'c_plans__code_idx'],
    ['string range', { code: { $gt: 'C02990' } }, 'c_plans__code_idx'],
    ['string $in', { code: { $in: ['C00001', 'C00002'] } }, 'c_plans__code_idx'],
    ['string prefix', { code: { $like: 'C0299%' } }, 'c_plans__code_idx'],
    ['dotted path', { 'address.city': 'city7' }, 'c_plans__address__city_idx'],
    ['array element', { tags: 't3' }, 'c_plans__tags_gin'],
    ['array $in', { tags: { $in: ['t3', 't4'] } }, 'c_plans__tags_gin'],
    ['sort without a filter', { $sort: { born: -1 }, $limit: 5 }, 'c_plans__born_idx']
  ])('uses the index for %s', async (_, query, index) => {
    expect(await plan(t.db, query)).toContain(index)
  })

  it('sorts from the index, both directions, without a sort step', async () => {
    for (const dir of [1, -1]) {
      const p = await plan(t.db, { $sort: { code: dir }, $limit: 10 })
      expect(p).toContain('c_plans__code_idx')
      expect(p).not.toMatch(/"Node Type":"(Sort|Incremental Sort)"/)
    }
  })

  it('seeks a keyset page in the index instead of scanning from the start', async () => {
    const first = translateQuery({ $sort: { code: 1 } }, DEF)
    const cursor = encodeCursor(first.sortKeys, ['C02500', 'zzz'])
    const t2 = translateQuery({ $sort: { code: 1 }, $after: cursor }, DEF)
    const p = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off')
      const sql = `EXPLAIN (FORMAT JSON) SELECT id FROM c_plans WHERE ${t2.where} AND ${t2.after!.sql} ORDER BY ${t2.orderBy} LIMIT 10`
      const { rows } = await tx.query<Record<string, unknown>>(sql, [...t2.params, ...t2.after!.params])
      return JSON.stringify(rows[0]['QUERY PLAN'])
    })
    expect(p).toContain('c_plans__code_idx')
    expect(p).toMatch(/"Index Cond":"\(ROW\(/)
  })

  it('syncs indexes: creates new, rebuilds changed, drops undeclared, leaves foreign ones', async () => {
    await t.db.query('CREATE INDEX plans_by_hand ON c_plans (state)')
    expect(await syncIndexes(t.db, DEF)).toEqual({ created: [], dropped: [] })
    const next: CollectionDefinition = {
      ...DEF,
      fields: [
        { name: 'age', type: 'string', filterable: true },
        { name: 'code', type: 'string', unique: true },
        { name: 'tags', type: 'array', items: 'string' },
        { name: 'address.city', type: 'string', filterable: true },
        { name: 'born', type: 'date', sortable: true },
        { name: 'note', type: 'string', filterable: true }
      ],
      uniques: [['address.city', 'note']]
    }
    const res = await syncIndexes(t.db, next, { concurrently: true })
    expect(res.created.sort()).toEqual(
      [
        'c_plans__age_idx',
        'c_plans__code_uq',
        'c_plans__note_idx',
        indexName(next, ['address.city', 'note'], 'cuq')
      ].sort()
    )
    expect(res.dropped.sort()).toEqual(['c_plans__age_idx', 'c_plans__code_idx', 'c_plans__tags_gin'])
    const names = await indexNames(t.db, 'c_plans')
    expect(names).toContain('plans_by_hand')
    expect(names).toEqual([...indexPlan(next).map((s) => s.name), 'c_plans_pkey', 'plans_by_hand'].sort())
    expect(await syncIndexes(t.db, next)).toEqual({ created: [], dropped: [] })
    await syncIndexes(t.db, DEF)
  })

  it('refuses a unique index over duplicate rows with 409 and leaves no broken index', async () => {
    const adapter = new DocumentAdapter({ db: t.db, definition: DEF })
    await adapter._create([{ note: 'dup' }, { note: 'dup' }])
    const dupDef: CollectionDefinition = {
      ...DEF,
      fields: DEF.fields.map((f) => (f.name === 'note' ? { ...f, unique: true } : f))
    }
    for (const concurrently of [false, true]) {
      const e = await syncIndexes(t.db, dupDef, { concurrently }).then(
        () => undefined,
        (err: unknown) => err as { name: string; data: unknown }
      )
      expect(e?.name).toBe('Conflict')
      expect(e?.data).toMatchObject({ fields: ['note'] })
      expect(await indexNames(t.db, 'c_plans')).not.toContain('c_plans__note_uq')
    }
  })

  it('hashes names that are long or not plain lower-case', () => {
    const def: CollectionDefinition = { name: 'x', fields: [] }
    expect(indexName(def, ['学历'], 'idx')).toMatch(/^c_x__h[0-9a-f]{10}_idx$/)
    expect(indexName(def, ['a__b'], 'idx')).toMatch(/^c_x__h[0-9a-f]{10}_idx$/)
    expect(indexName(def, ['Name'], 'idx')).toMatch(/^c_x__h[0-9a-f]{10}_idx$/)
    const long = indexName(def, ['a'.repeat(60)], 'uq')
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63)
    expect(indexName(def, ['a.b'], 'idx')).toBe('c_x__a__b_idx')
    expect(indexName(def, ['a_b'], 'idx')).toBe('c_x__a_b_idx')
  })
})
