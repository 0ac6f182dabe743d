import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DocumentService, ensureCollectionTable } from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'

const DEF: CollectionDefinition = {
  name: 'staff',
  fields: [
    { name: 'code', type: 'string', unique: true },
    { name: 'dept', type: 'string' },
    { name: 'no', type: 'number' },
    { name: 'name', type: 'string', filterable: true }
  ],
  uniques: [['dept', 'no']]
}

const user = { id: 'u-1' }

async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error('expected an error')
    },
    (e: unknown) => e
  )
}

describe.each(DRIVERS)('writes on %s', (driver) => {
  let t: TestDb
  let svc: DocumentService

  beforeAll(async () => {
    t = await createTestDb(driver)
    await ensureCollectionTable(t.db, DEF)
    svc = new DocumentService({ db: t.db, definition: DEF, multi: true })
  })
  beforeEach(() => t.db.query('DELETE FROM c_staff'))
  afterAll(() => t.drop())

  it('keeps system fields in their columns and out of the document', async () => {
    const r = await svc.create(
      {
        code: 'A1',
        ownerId: 'o1',
        deptId: 'd1',
        state: 'draft',
        createdAt: 'forged',
        rev: 99,
        deletedAt: 'x',
        name: 'Ann'
      },
      { user }
    )
    expect(r).toMatchObject({
      code: 'A1',
      ownerId: 'o1',
      deptId: 'd1',
      state: 'draft',
      rev: 1,
      createdBy: 'u-1',
      updatedBy: 'u-1'
    })
    expect(r.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(r).not.toHaveProperty('deletedAt')
    const { rows } = await t.db.query('SELECT owner_id, state, doc FROM c_staff WHERE id = $1', [r.id])
    expect(rows[0]).toEqual({ owner_id: 'o1', state: 'draft', doc: { code: 'A1', name: 'Ann' } })
    expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('answers a created record exactly as get does, an own `__proto__` key included', async () => {
    const data = JSON.parse('{"code": "P1", "name": "Pat", "__proto__": {"polluted": true}, "tags": ["a"]}')
    const [created] = (await svc.create([data], { user })) as Record<string, unknown>[]
    expect(Object.getPrototypeOf(created)).toBe(Object.prototype)
    expect(created).not.toHaveProperty('polluted')
    expect(Object.keys(created)).toContain('__proto__')
    expect(created).toEqual(await svc.get(created.id as string))
  })

  it('keeps a client id (imports) and refuses a duplicate id with 409', async () => {
    const r = await svc.create({ id: 'HIS-000123', code: 'H1' })
    expect(r.id).toBe('HIS-000123')
    const e = await failure(svc.create({ id: 'HIS-000123', code: 'H2' }))
    expect(e.name).toBe('Conflict')
  })

  it('replaces the document on update, merges on patch, and bumps rev each time', async () => {
    const r = await svc.create({ code: 'B1', name: 'Bo', extra: 1, ownerId: 'o1' })
    const u = await svc.update(r.id, { code: 'B1', name: 'Bob' }, { user })
    expect(u).toMatchObject({ code: 'B1', name: 'Bob', rev: 2, ownerId: 'o1', updatedBy: 'u-1' })
    expect(u).not.toHaveProperty('extra')
    const p = await svc.patch(r.id, { extra: 2, state: 'done' })
    expect(p).toMatchObject({ code: 'B1', name: 'Bob', extra: 2, rev: 3, state: 'done' })
    expect(Date.parse(p.updatedAt)).toBeGreaterThanOrEqual(Date.parse(r.updatedAt))
    expect(await svc.get(r.id, { query: { $select: ['name', 'rev'] } })).toEqual({
      id: r.id,
      name: 'Bob',
      rev: 3
    })
  })

  it('writes only the expected rev; a stale one is a 409 with the current rev and changes nothing', async () => {
    const r = await svc.create({ code: 'C1', name: 'v1' })
    await svc.patch(r.id, { name: 'v2', rev: 1 })
    const stale = await failure(svc.patch(r.id, { name: 'v3', rev: 1 }))
    expect(stale.name).toBe('Conflict')
    expect(stale.code).toBe(409)
    expect(stale.data).toMatchObject({ id: r.id, rev: 2, reason: 'stale' })
    const staleQuery = await failure(svc.update(r.id, { name: 'v4' }, { query: { rev: 1 } }))
    expect(staleQuery.data.rev).toBe(2)
    const staleRemove = await failure(svc.remove(r.id, { query: { rev: '1' } }))
    expect(staleRemove.name).toBe('Conflict')
    expect(await svc.get(r.id)).toMatchObject({ name: 'v2', rev: 2 })
    expect((await svc.patch(r.id, { name: 'v5' }, { query: { rev: 2 } })).rev).toBe(3)
    // A missing row stays a 404, rev or not.
    expect((await failure(svc.patch('nope', { name: 'x', rev: 1 }))).name).toBe('NotFound')
  })

  it('enforces unique fields among live rows: 409 naming the fields, reuse after remove, 409 on restore', async () => {
    const a = await svc.create({ code: 'U1', dept: 'd', no: 1 })
    const dup = await failure(svc.create({ code: 'U1', dept: 'd', no: 2 }))
    expect(dup.name).toBe('Conflict')
    expect(dup.data).toMatchObject({ fields: ['code'], reason: 'unique' })
    // In both languages, as core writes its messages: 中文 (English).
    expect(dup.message).toBe(
      '已有其他记录使用了相同的code (Another record already has the same value for code)'
    )
    const pair = await failure(svc.create({ code: 'U2', dept: 'd', no: 1 }))
    expect(pair.data.fields).toEqual(['dept', 'no'])
    expect(pair.message).toMatch(/^已有其他记录使用了相同的dept、no \(.+dept, no\)$/)
    await svc.remove(a.id, { user })
    const b = await svc.create({ code: 'U1', dept: 'd', no: 1 })
    const restore = await failure(svc.restore(a.id))
    expect(restore.name).toBe('Conflict')
    await svc.remove(b.id)
    expect(await svc.restore(a.id, { user })).toMatchObject({
      id: a.id,
      code: 'U1',
      rev: 3,
      updatedBy: 'u-1'
    })
  })

  it('removes softly: hidden from find/get, visible in the recycle bin, restorable, purgeable', async () => {
    const [a, b] = await svc.create([{ code: 'S1' }, { code: 'S2' }])
    const removed = await svc.remove(a.id, { user })
    expect(removed).toMatchObject({ id: a.id, deletedBy: 'u-1', rev: 2 })
    expect(removed.deletedAt).toMatch(/Z$/)
    expect((await failure(svc.get(a.id))).name).toBe('NotFound')
    expect((await failure(svc.patch(a.id, { code: 'x' }))).name).toBe('NotFound')
    expect((await failure(svc.remove(a.id))).name).toBe('NotFound')
    expect((await svc.find({ paginate: false })).map((r) => r.id)).toEqual([b.id])
    expect((await svc.find({ paginate: false, deleted: 'only' })).map((r) => r.id)).toEqual([a.id])
    expect((await svc.find({ paginate: false, deleted: 'include' })).map((r) => r.id)).toEqual([a.id, b.id])
    expect((await svc.get(a.id, { deleted: 'include' })).deletedBy).toBe('u-1')
    // Purge takes only removed rows unless told otherwise.
    expect((await failure(svc.purge(b.id))).name).toBe('NotFound')
    await svc.restore(a.id)
    await svc.remove(a.id)
    expect((await svc.purge(a.id)).id).toBe(a.id)
    expect((await svc.purge(b.id, { deleted: 'include' })).id).toBe(b.id)
    expect((await t.db.query('SELECT count(*)::int AS n FROM c_staff')).rows[0].n).toBe(0)
  })

  it('restores and purges many by query', async () => {
    await svc.create([
      { code: 'M1', dept: 'x' },
      { code: 'M2', dept: 'x' },
      { code: 'M3', dept: 'y' }
    ])
    expect(await svc.remove(null, { query: { dept: 'x' } })).toHaveLength(2)
    svc.options.multi = true
    expect(await svc.restore(null, { query: { dept: 'x' } })).toHaveLength(2)
    await svc.remove(null, { query: {} })
    expect(await svc.purge(null, { query: { dept: 'y' } })).toHaveLength(1)
    expect((await svc.find({ paginate: false, deleted: 'include' })).length).toBe(2)
  })

  it('creates 20,000 documents in input order, time-ordered ids, as bulk statements', async () => {
    const input = Array.from({ length: 20_000 }, (_, i) => ({
      code: `K${i}`,
      seq: i,
      dept: `d${i % 7}`,
      no: i
    }))
    const started = performance.now()
    const out = await svc.create(input, { user })
    const ms = performance.now() - started
    console.log(
      `[storage] ${driver}: 20,000 docs created in ${ms.toFixed(0)} ms (${Math.round(20_000 / (ms / 1000))} docs/s)`
    )
    expect(out).toHaveLength(20_000)
    expect(out.every((r, i) => r.seq === i && r.code === `K${i}`)).toBe(true)
    const ids = out.map((r) => r.id as string)
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true)
    expect((await t.db.query('SELECT count(*)::int AS n FROM c_staff')).rows[0].n).toBe(20_000)
  })

  it('rolls back a whole multi-chunk create when one row fails', async () => {
    const input = Array.from({ length: 12_000 }, (_, i) => ({ code: i === 11_000 ? 'K0' : `K${i}` }))
    expect((await failure(svc.create(input))).name).toBe('Conflict')
    expect((await t.db.query('SELECT count(*)::int AS n FROM c_staff')).rows[0].n).toBe(0)
  })

  it('patches many in one atomic statement: a unique violation on one row changes nothing', async () => {
    const rows = await svc.create(
      [{ code: 'P1' }, { code: 'P2' }, { code: 'P3' }].map((d) => ({ ...d, dept: 'p' }))
    )
    const e = await failure(svc.patch(null, { code: 'SAME' }, { query: { dept: 'p' } }))
    expect(e.name).toBe('Conflict')
    const after = await svc.find({ paginate: false, query: { $sort: { code: 1 } } })
    expect(after.map((r) => [r.code, r.rev])).toEqual([
      ['P1', 1],
      ['P2', 1],
      ['P3', 1]
    ])
    const ok = await svc.patch(null, { name: 'all' }, { query: { dept: 'p', code: { $ne: 'P2' } }, user })
    expect(ok.map((r) => r.code).sort()).toEqual(['P1', 'P3'])
    expect(ok.every((r) => r.rev === 2 && r.updatedBy === 'u-1')).toBe(true)
    expect(rows).toHaveLength(3)
  })

  it('removes many in one atomic statement: a failure on one row removes none', async () => {
    await svc.create([
      { code: 'R1', dept: 'r' },
      { code: 'R2', dept: 'r', boom: true },
      { code: 'R3', dept: 'r' }
    ])
    // A trigger stands in for any failure midway (constraint, hook, server).
    await t.db.query(`CREATE OR REPLACE FUNCTION staff_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.doc ? 'boom' AND NEW.deleted_at IS NOT NULL THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`)
    await t.db.query(
      'CREATE TRIGGER staff_boom BEFORE UPDATE ON c_staff FOR EACH ROW EXECUTE FUNCTION staff_boom()'
    )
    try {
      const e = await failure(svc.remove(null, { query: { dept: 'r' } }))
      expect(e.name).toBe('GeneralError')
      expect(e.message).not.toMatch(/boom|c_staff/)
      expect(await svc.find({ paginate: false, query: { dept: 'r' } })).toHaveLength(3)
    } finally {
      await t.db.query('DROP TRIGGER staff_boom ON c_staff')
    }
    expect(await svc.remove(null, { query: { dept: 'r' } })).toHaveLength(3)
  })

  it('joins the caller transaction: a failure after the write rolls it back', async () => {
    await failure(
      t.db.transaction(async () => {
        await svc.create({ code: 'T1' })
        await svc.patch(null, { name: 'x' }, { query: {} })
        throw new Error('audit failed')
      })
    )
    expect(await svc.find({ paginate: false })).toEqual([])
  })

  it('swaps the definition at run time', async () => {
    await svc.create({ code: 'D1', no: 5 })
    const next: CollectionDefinition = { ...DEF, fields: [...DEF.fields, { name: 'level', type: 'number' }] }
    svc.setDefinition(next)
    await svc.patch(null, { level: '7' as unknown as number }, { query: { code: 'D1' } })
    const e = await failure(svc.find({ query: { level: 'high' } }))
    expect(e.data).toEqual({ field: 'level', reason: 'expected-number' })
    svc.setDefinition(DEF)
  })
})
