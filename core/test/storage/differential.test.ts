import { Query } from 'mingo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DocumentAdapter, ensureCollectionTable } from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import {
  DIFF_DEFINITION,
  randomDoc,
  randomQuery,
  seeded,
  toMongo,
  type RandomQuery
} from './support/random-queries.js'

/**
 * Differential test: the SQL translation must return exactly the rows, in exactly the order,
 * that MongoDB semantics (mingo, in memory) give for the same query. The seed is fixed so a
 * failure reproduces; STORAGE_DIFF_SEED=<n> explores another sequence.
 */
const SEED = Number(process.env.STORAGE_DIFF_SEED ?? 20240611)
const DOCS = 300
const QUERIES = Number(process.env.STORAGE_DIFF_QUERIES ?? 2000)

function mingoIds(docs: Record<string, unknown>[], rq: RandomQuery): string[] {
  // The adapter breaks ties on id in the direction of the first sort key.
  const first = Object.values(rq.sort)[0] ?? 1
  const sort = 'id' in rq.sort ? rq.sort : { ...rq.sort, id: first }
  let cursor = new Query(toMongo(rq.query)).find(docs).sort(sort)
  if (rq.skip) cursor = cursor.skip(rq.skip)
  if (rq.limit !== undefined) cursor = cursor.limit(rq.limit)
  return cursor.all().map((d) => (d as { id: string }).id)
}

describe.each(DRIVERS)('translator against mingo on %s', (driver) => {
  let t: TestDb
  let adapter: DocumentAdapter
  const docs: Record<string, unknown>[] = []

  beforeAll(async () => {
    t = await createTestDb(driver)
    await ensureCollectionTable(t.db, DIFF_DEFINITION)
    adapter = new DocumentAdapter({ db: t.db, definition: DIFF_DEFINITION })
    const rng = seeded(SEED)
    const input = Array.from({ length: DOCS }, () => randomDoc(rng))
    const created = await adapter._create(input)
    created.forEach((r, i) => docs.push({ ...input[i], id: r.id }))
  })
  afterAll(() => t.drop())

  it(`returns the same rows in the same order for ${QUERIES} random queries (seed ${SEED})`, async () => {
    const rng = seeded(SEED + 1)
    const pools = { rng, ids: docs.map((d) => d.id as string) }
    let nonEmpty = 0
    for (let i = 0; i < QUERIES; i++) {
      const rq = randomQuery(pools)
      const expected = mingoIds(docs, rq)
      const query = { ...rq.query, $sort: rq.sort, $skip: rq.skip, $limit: rq.limit, $select: ['id'] }
      let actual: string[]
      try {
        actual = (await adapter._find({ query, paginate: false })).map((r) => r.id as string)
      } catch (error) {
        throw new Error(`seed ${SEED}, query #${i} failed: ${JSON.stringify(query)}\n${String(error)}`)
      }
      if (expected.length) nonEmpty++
      expect(actual, `seed ${SEED}, query #${i}: ${JSON.stringify(query)}`).toEqual(expected)
    }
    // The generator must produce queries that select something, or the test proves little.
    expect(nonEmpty).toBeGreaterThan(QUERIES / 3)
  })
})
