import type { AdapterQuery } from '@feathersjs/adapter-commons'
import { pagesOf, type CollectionDefinition } from '@medaffairs/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DocumentService,
  ensureCollectionTable,
  type DocumentPage,
  type DocumentRecord
} from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import { seeded } from './support/random-queries.js'

const DEF: CollectionDefinition = {
  name: 'pages',
  fields: [
    { name: 'grp', type: 'string', sortable: true },
    { name: 'n', type: 'number', sortable: true },
    { name: 'day', type: 'date' },
    { name: 'ok', type: 'boolean' }
  ]
}

const ROWS = 240

/** Sorts mixing directions, typed and untyped fields, nulls and system columns. */
const SORTS: Record<string, 1 | -1>[] = [
  {},
  { grp: 1 },
  { grp: -1, n: 1 },
  { n: -1, grp: 1, day: -1 },
  { ok: 1, u: -1 },
  { u: 1, 'sub.x': -1 },
  { createdAt: -1 },
  { state: 1, n: -1 },
  { id: -1 }
]

type Page = DocumentPage<DocumentRecord>

describe.each(DRIVERS)('keyset pagination and counts on %s', (driver) => {
  let t: TestDb
  let svc: DocumentService

  beforeAll(async () => {
    t = await createTestDb(driver)
    await ensureCollectionTable(t.db, DEF)
    svc = new DocumentService({
      db: t.db,
      definition: DEF,
      paginate: { default: 10, max: 100 },
      countCap: 50
    })
    const rng = seeded(7)
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]
    const docs = Array.from({ length: ROWS }, () => {
      const d: Record<string, unknown> = {}
      // Few distinct values and many nulls/missing: lots of ties for the keyset to get right.
      if (rng() < 0.8) d.grp = pick(['a', 'b', 'B', '张', null])
      if (rng() < 0.8) d.n = pick([1, 2, 2.5, -3, null])
      if (rng() < 0.7) d.day = pick(['2020-01-01', '2021-05-05', null])
      if (rng() < 0.7) d.ok = pick([true, false, null])
      if (rng() < 0.8) d.u = pick([1, 'x', 'Y', true, null, 0.5])
      if (rng() < 0.5) d.sub = { x: pick([1, 2, 'z', null]) }
      if (rng() < 0.5) d.state = pick(['draft', 'done'])
      return d
    })
    // Two batches: createdAt ties within each batch, a different time between them.
    await svc._create(docs.slice(0, ROWS / 2))
    await svc._create(docs.slice(ROWS / 2))
    await t.db.query('ANALYZE c_pages')
  })
  afterAll(() => t.drop())

  /** Pages through a query by cursor or by offset (no counting: that is tested apart). */
  async function walk(query: AdapterQuery, limit: number, by: 'after' | 'skip'): Promise<string[]> {
    const ids: string[] = []
    let after: string | null = null
    for (let i = 0; i < 1000; i++) {
      const paging = by === 'after' ? (after ? { $after: after } : {}) : { $skip: i * limit }
      const page = (await svc.find({ query: { ...query, ...paging, $limit: limit, $count: 'none' } })) as Page
      ids.push(...page.data.map((r) => r.id))
      if (page.data.length < limit) expect(page.next).toBeNull()
      if (by === 'skip' && page.data.length < limit) return ids
      if (by === 'after' && !page.next) return ids
      after = page.next
    }
    throw new Error('pagination did not end')
  }

  it.each(SORTS.map((s) => [JSON.stringify(s), s] as const))(
    'walks every row exactly once with $sort %s',
    async (_, sort) => {
      const all = (await svc.find({ query: { $sort: sort }, paginate: false })).map((r) => r.id)
      expect(all).toHaveLength(ROWS)
      const keyset = await walk({ $sort: sort }, 7, 'after')
      const offset = await walk({ $sort: sort }, 7, 'skip')
      expect(new Set(keyset).size).toBe(ROWS)
      expect(keyset).toEqual(all)
      expect(offset).toEqual(all)
    }
  )

  it.each(SORTS.map((s) => [JSON.stringify(s), s] as const))(
    'continues after a page reached by offset with its cursor, $sort %s',
    async (_, sort) => {
      const all = (await svc.find({ query: { $sort: sort }, paginate: false })).map((r) => r.id)
      const byOffset = (await svc.find({
        query: { $sort: sort, $skip: 14, $limit: 7, $count: 'none' }
      })) as Page
      expect(byOffset.data.map((r) => r.id)).toEqual(all.slice(14, 21))
      const after = (await svc.find({
        query: { $sort: sort, $after: byOffset.next, $limit: 7, $count: 'none' }
      })) as Page
      expect(after.data.map((r) => r.id)).toEqual(all.slice(21, 28))
    }
  )

  it('walks a filtered result, and the last page has next: null', async () => {
    const query: AdapterQuery = {
      $sort: { n: -1, grp: 1 },
      $or: [{ grp: { $in: ['a', null] } }, { n: { $gt: 1 } }]
    }
    const all = (await svc.find({ query, paginate: false })).map((r) => r.id)
    expect(all.length).toBeGreaterThan(20)
    expect(await walk(query, 9, 'after')).toEqual(all)
    const one = (await svc.find({ query: { ...query, $limit: 100 } })) as Page
    expect(one.next === null).toBe(all.length <= 100)
  })

  it("walks every row with the SDK's pagesOf, a page at a time, in the query's order", async () => {
    const query: AdapterQuery = { $sort: { grp: -1, n: 1 }, n: { $ne: null } }
    const all = (await svc.find({ query, paginate: false })).map((r) => r.id)
    const sizes: number[] = []
    const walked: unknown[] = []
    for await (const page of pagesOf(svc as never, {}, query, 25)) {
      sizes.push(page.length)
      walked.push(...page.map((r) => r.id))
    }
    expect(walked).toEqual(all)
    expect(sizes.slice(0, -1).every((n) => n === 25)).toBe(true)
    expect(sizes.length).toBe(Math.ceil(all.length / 25))
    const none = pagesOf(svc as never, {}, { grp: 'no such group' })
    expect((await none.next()).done).toBe(true)
  })

  it('counts exactly, capped, estimated or not at all, as asked', async () => {
    const exact = (await svc.find({ query: { $count: 'exact' } })) as Page
    expect([exact.total, exact.count, exact.limit, exact.skip, exact.data.length]).toEqual([
      ROWS,
      'exact',
      10,
      0,
      10
    ])
    expect(typeof exact.next).toBe('string')

    const capped = (await svc.find({ query: { $count: 'capped' } })) as Page
    expect([capped.total, capped.count, capped.totalCapped]).toEqual([50, 'capped', true])
    const under = (await svc.find({ query: { $count: 'capped', state: 'draft', grp: 'a' } })) as Page
    const drafts = (await svc.find({ query: { state: 'draft', grp: 'a' }, paginate: false })).length
    expect(drafts).toBeGreaterThan(0)
    expect([under.total, under.totalCapped]).toEqual([drafts, false])

    const estimated = (await svc.find({ query: { $count: 'estimated' } })) as Page
    expect(estimated.count).toBe('estimated')
    expect(estimated.total).toBeGreaterThan(ROWS * 0.8)
    expect(estimated.total).toBeLessThan(ROWS * 1.2)
    const small = (await svc.find({ query: { $count: 'estimated', grp: '张', n: 2 } })) as Page
    expect(small.count).toBe('exact')
    expect(small.total).toBe((await svc.find({ query: { grp: '张', n: 2 }, paginate: false })).length)

    const none = (await svc.find({ query: { $count: 'none' } })) as Page
    expect([none.total, none.count, none.data.length]).toEqual([-1, 'none', 10])

    const zero = (await svc.find({ query: { $limit: 0 } })) as Page
    expect([zero.total, zero.data.length, zero.next]).toEqual([ROWS, 0, null])
  })

  it('takes the default count mode from the service options', async () => {
    const quick = new DocumentService({
      db: t.db,
      definition: DEF,
      paginate: { default: 5 },
      countMode: 'none'
    })
    expect(((await quick.find({})) as Page).total).toBe(-1)
    expect(((await quick.find({ query: { $count: 'exact' } })) as Page).total).toBe(ROWS)
  })

  it('pages with microsecond timestamps and ties on createdAt by id', async () => {
    const all = (await svc.find({ query: { $sort: { createdAt: 1 } }, paginate: false })).map((r) => r.id)
    expect(await walk({ $sort: { createdAt: 1 } }, 11, 'after')).toEqual(all)
    expect(all).toEqual([...all].sort())
  })
})
