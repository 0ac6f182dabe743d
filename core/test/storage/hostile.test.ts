import type { FeathersError } from '@feathersjs/errors'
import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DocumentService,
  encodeCursor,
  ensureCollectionTable,
  ORIGINAL_ERROR
} from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'

const DEF: CollectionDefinition = {
  name: 'hostile',
  fields: [
    { name: 'name', type: 'string', filterable: true, sortable: true },
    { name: 'age', type: 'number', filterable: true },
    { name: 'tags', type: 'array', items: 'string', filterable: true }
  ]
}

const NASTY = [
  "O'Brien",
  'back\\slash\\',
  '"double" quotes',
  '张三',
  '😀 emoji 👍🏽',
  "Robert'); DROP TABLE c_hostile;--",
  "' OR '1'='1",
  '$1::text',
  '%_%',
  'a'.repeat(10_000)
]

/** Traces of generated SQL or of the driver's own messages. */
const SQLISH =
  /doc->|COLLATE "C"|jsonb_|::(jsonb|numeric|text|integer)|syntax error|relation "|invalid input|\$\d/i

/** The error is a clean 400: our message (optionally matching), no SQL, nothing of the driver. */
async function rejects400(promise: Promise<unknown>, message?: RegExp): Promise<FeathersError> {
  const error = (await promise.then(
    () => {
      throw new Error('expected a BadRequest, got a result')
    },
    (e: unknown) => e
  )) as FeathersError
  expect(error.name, String(error.message)).toBe('BadRequest')
  expect(error.code).toBe(400)
  if (message) expect(error.message).toMatch(message)
  // In both languages, as core writes its messages: 中文 (English).
  expect(error.message).toMatch(/^[^(]*[\u4e00-\u9fff][^(]* \(.+\)$/s)
  expect(error.message).not.toMatch(SQLISH)
  expect(JSON.stringify(error.toJSON())).not.toMatch(SQLISH)
  return error
}

describe.each(DRIVERS)('hostile input on %s', (driver) => {
  let t: TestDb
  let svc: DocumentService
  const ids: Record<string, string> = {}
  // Hostile queries are ill-typed on purpose: call through untyped wrappers.
  const find = (params: any): Promise<any> => svc.find(params)
  const _find = (params: any): Promise<any> => svc._find(params)

  beforeAll(async () => {
    t = await createTestDb(driver)
    await ensureCollectionTable(t.db, DEF)
    svc = new DocumentService({ db: t.db, definition: DEF, multi: true, paginate: { default: 10, max: 50 } })
    const created = await svc.create(
      NASTY.map((name, i) => ({ name, age: i, tags: [name], misc: name, 名字: name }))
    )
    created.forEach((r, i) => (ids[NASTY[i]] = r.id))
  })
  afterAll(() => t.drop())

  it('stores and finds quotes, backslashes, Chinese, emoji and SQL fragments as plain values', async () => {
    for (const name of NASTY) {
      for (const query of [
        { name },
        { misc: name },
        { tags: name },
        { 名字: name },
        { name: { $in: [name, 'x'] } }
      ]) {
        const rows = await find({ query, paginate: false })
        expect(
          rows.map((r: any) => r.id),
          JSON.stringify(query).slice(0, 80)
        ).toEqual([ids[name]])
      }
    }
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM c_hostile')
    expect(rows[0].n).toBe(NASTY.length)
  })

  it('rejects SQL, operators and junk as field names', async () => {
    for (const field of [
      "name'; DROP TABLE c_hostile;--",
      'name) OR (1=1',
      'a.$b',
      '$name',
      'a..b',
      '.a',
      'a.',
      'a b',
      '😀',
      'x\u0000y',
      'a'.repeat(64)
    ]) {
      await rejects400(find({ query: { [field]: 1 } }))
      await rejects400(_find({ query: { [field]: 1 } }), /field name|Unknown query filter/)
      await rejects400(find({ query: { $sort: { [field]: 1 } } }))
      await rejects400(find({ query: { $select: [field] } }))
    }
    await rejects400(_find({ query: { 'a.b.c.d.e.f.g.h.i': 1 } }), /deeper than 8/)
    await rejects400(_find({ query: { $or: [{ 'a.$gt': 1 }] } }), /operator cannot be used as a field name/)
    // Names that exist on Object.prototype are ordinary (missing) fields.
    for (const field of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(await find({ query: { [field]: 'x' }, paginate: false })).toEqual([])
    }
    // adapter-commons would drop an own `__proto__` key (and its condition) while sanitizing.
    await rejects400(find({ query: JSON.parse('{"__proto__": "x"}') }), /reserved/)
    await rejects400(find({ query: { $or: [JSON.parse('{"__proto__": {"$ne": 1}}')] } }), /reserved/)
    await rejects400(_find({ query: JSON.parse('{"__proto__": "x"}') }), /reserved/)
  })

  it('rejects unknown operators and operators in the wrong place', async () => {
    await rejects400(find({ query: { $where: 'true' } }))
    await rejects400(_find({ query: { $where: 'true' } }), /Unknown query filter: \$where/)
    await rejects400(_find({ query: { name: { $regex: '.*' } } }), /Unknown operator \$regex on "name"/)
    await rejects400(_find({ query: { name: { $or: [{ name: 'x' }] } } }), /Unknown operator \$or/)
    await rejects400(_find({ query: { $or: [{ $sort: { name: 1 } }] } }), /only \$or, \$and/)
    await rejects400(_find({ query: { name: { $eq: 'x', other: 1 } } }), /mixes operators/)
    await rejects400(_find({ query: { $or: { name: 'x' } } }), /\$or expects a list/)
    await rejects400(_find({ query: { $and: ['name'] } }), /must be an object/)
    await rejects400(_find({ query: { $or: [null] } }), /must be an object/)
    await rejects400(_find({ query: { name: { $in: 'x' } } }), /\$in on "name" expects a list/)
    await rejects400(_find({ query: { $count: 'all' } }), /\$count must be one of/)
  })

  it('rejects values of the wrong type with the field and the reason', async () => {
    const e = await rejects400(_find({ query: { age: 'abc' } }), /"age" must be a number/)
    expect(e.data).toEqual({ field: 'age', reason: 'expected-number' })
    expect(e.errors).toEqual([{ field: 'age', reason: 'expected-number', message: e.message }])
    await rejects400(_find({ query: { age: { $lt: [1, 2] } } }), /"age" must be a number, not a list/)
    await rejects400(_find({ query: { name: ['a', 'b'] } }), /"name" must be a string, not a list/)
    await rejects400(_find({ query: { name: { $gt: { a: 1 } } } }), /not an object/)
    await rejects400(_find({ query: { misc: { $lt: [1] } } }), /expects a number, text/)
    await rejects400(_find({ query: { age: Infinity } }), /finite/)
    await rejects400(_find({ query: { age: { $lt: null } } }), /cannot compare with null/)
    await rejects400(_find({ query: { age: { $like: '1%' } } }), /text fields only/)
    await rejects400(_find({ query: { createdAt: { $gt: 'yesterday' } } }), /ISO date-time/)
    // A number given as text for a number field is the number.
    expect((await find({ query: { age: '3' }, paginate: false })).map((r: any) => r.name)).toEqual([NASTY[3]])
  })

  it('rejects very long strings, deep nesting, huge lists and too many conditions', async () => {
    await rejects400(_find({ query: { name: 'a'.repeat(10_001) } }), /longer than 10000/)
    await rejects400(_find({ query: { misc: { $in: ['a'.repeat(10_001)] } } }), /longer than 10000/)
    let deep: Record<string, unknown> = { name: 'x' }
    for (let i = 0; i < 17; i++) deep = { $and: [deep] }
    await rejects400(_find({ query: deep }), /nested deeper than 16/)
    let ok: Record<string, unknown> = { name: NASTY[0] }
    for (let i = 0; i < 16; i++) ok = { $or: [ok] }
    expect(await _find({ query: ok, paginate: false })).toHaveLength(1)
    await rejects400(
      _find({ query: { $or: Array.from({ length: 501 }, (_, i) => ({ age: i })) } }),
      /more than 500/
    )
    await rejects400(
      _find({ query: { name: { $in: Array.from({ length: 10_001 }, String) } } }),
      /more than 10000 values/
    )
    await rejects400(
      _find({ query: { tags: { $in: Array.from({ length: 501 }, String) } } }),
      /more than 500/
    )
  })

  it('maps what PostgreSQL itself rejects to 400 without its message', async () => {
    const nul = await rejects400(_find({ query: { name: 'a\u0000b' } }))
    expect((nul as unknown as Record<symbol, unknown>)[ORIGINAL_ERROR]).toBeDefined()
    expect(Object.keys(nul.toJSON())).not.toContain(String(ORIGINAL_ERROR))
    await rejects400(svc._create({ name: 'nul \u0000 inside' }))
    await rejects400(_find({ query: { name: { $like: 'abc\\' } } }), /ends with an escape/)
    // A forged cursor with the right shape but a bad number reaches PostgreSQL's cast.
    const sort = { age: 1 } as const
    const page = await find({ query: { $sort: sort, $limit: 2 } })
    const [sig] = JSON.parse(Buffer.from(page.next!, 'base64url').toString()) as [string, unknown]
    const bad = Buffer.from(JSON.stringify([sig, ['not-a-number', 'x']])).toString('base64url')
    await rejects400(find({ query: { $sort: sort, $after: bad } }))
    await rejects400(find({ query: { $sort: { name: 1 }, $after: page.next } }), /not a valid cursor/)
    await rejects400(find({ query: { $after: 'garbage!' } }), /not a valid cursor/)
    await rejects400(find({ query: { $after: encodeCursor([], []) } }), /not a valid cursor/)
  })

  it('rejects bad paging, sorting and selection values', async () => {
    await rejects400(find({ query: { $limit: -1 }, paginate: false }), /\$limit/)
    await rejects400(find({ query: { $limit: 'many' }, paginate: false }), /\$limit/)
    await rejects400(find({ query: { $skip: 'x' } }), /\$skip/)
    await rejects400(find({ query: { $sort: { name: 2 } } }), /1 or -1/)
    await rejects400(find({ query: { $sort: { tags: 1 } } }), /cannot be sorted/)
    await rejects400(find({ query: { $select: 'name' } }), /\$select/)
  })

  it('rejects bad data and ids on writes', async () => {
    await rejects400(svc.create(['x' as unknown as Record<string, unknown>]), /not an object/)
    await rejects400(svc.create({ id: 'x'.repeat(65), name: 'long id' }), /at most 64/)
    await rejects400(svc.create({ id: { $gt: '' } as unknown as string, name: 'object id' }), /"id" must be/)
    await rejects400(svc.patch(ids[NASTY[0]], [] as unknown as Record<string, unknown>), /must be an object/)
    await rejects400(svc.patch(ids[NASTY[0]], { ownerId: { a: 1 } }), /"ownerId" must be a string/)
    expect((await svc.get(ids[NASTY[0]])).name).toBe(NASTY[0])
  })
})
