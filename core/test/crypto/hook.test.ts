import type { Application } from '@feathersjs/feathers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { compileCodec, encryptionHook, type FieldCrypto } from '../../src/crypto/index.js'
import { decodeResult, encodeData } from '../../src/crypto/codec.js'
import { indexPlan } from '../../src/storage/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import { failure, openTestCrypto, PEOPLE, peopleApp, storedText, type Rec } from './support.js'

const ANN = {
  name: 'ann',
  idNumber: '11010119900307001x',
  mobile: '138 1234 5678',
  salary: 12345.5,
  family: [{ name: '李四', relation: '配偶', idNumber: '110101199101010021' }],
  contact: { city: '深圳', phone: '0755-88886666' }
}
const CLEAR = ['11010119900307001', '12345678', '12345.5', '李四', '配偶', '88886666']

describe.each(DRIVERS)('encryption hook on %s', (driver) => {
  let t: TestDb
  let crypto: FieldCrypto
  let app: Application
  const svc = () => app.service('people')

  beforeAll(async () => {
    t = await createTestDb(driver)
    crypto = await openTestCrypto(t.db)
    app = await peopleApp(t.db, crypto)
  })
  beforeEach(() => t.db.query('DELETE FROM c_people'))
  afterAll(async () => {
    crypto.close()
    await t.drop()
  })

  it('round-trips strings, numbers, objects and lists, for internal and external callers', async () => {
    const created = (await svc().create(ANN)) as Rec
    expect(created).toMatchObject(ANN)
    expect(Object.keys(created).some((k) => k.includes('bidx'))).toBe(false)
    expect(await svc().get(created.id)).toMatchObject(ANN)
    expect(await svc().get(created.id, { provider: 'rest' })).toMatchObject(ANN)
    const page = (await svc().find({ query: {} })) as Rec
    expect(page.data).toEqual([expect.objectContaining(ANN)])
    expect(page.data[0].contact).toEqual(ANN.contact)
    expect(await svc().find({ paginate: false, query: { $select: ['idNumber'] } })).toEqual([
      { id: created.id, idNumber: ANN.idNumber }
    ])
    const patched = (await svc().patch(created.id, { mobile: '13900001111', salary: 0 })) as Rec
    expect(patched).toMatchObject({ ...ANN, mobile: '13900001111', salary: 0 })
    const replaced = (await svc().update(created.id, { name: 'ann', mobile: null })) as Rec
    expect(replaced).toMatchObject({ name: 'ann', mobile: null })
    expect(replaced.idNumber).toBeUndefined()
    expect(await svc().remove(created.id)).toMatchObject({ mobile: null })
  })

  it('stores ciphertext only: no clear value anywhere in the row', async () => {
    const input = structuredClone(ANN)
    await svc().create(input)
    expect(input).toEqual(ANN)
    const [text] = await storedText(t.db)
    for (const clear of CLEAR) expect(text).not.toContain(clear)
    const doc = JSON.parse(text) as Rec
    expect(doc.name).toBe('ann')
    expect(doc.contact.city).toBe('深圳')
    for (const v of [doc.idNumber, doc.mobile, doc.salary, doc.family, doc.contact.phone])
      expect(v).toMatch(/^enc:v1:[\w-]+$/)
    expect(Object.keys(doc).sort()).toEqual([
      'contact',
      'family',
      'idNumber',
      'idNumber__bidx',
      'mobile',
      'mobile__bidx',
      'name',
      'salary',
      'salary__bidx'
    ])
    expect(Object.keys(doc.contact).sort()).toEqual(['city', 'phone', 'phone__bidx'])
  })

  it('finds records by exact value through the blind index, in every usual spelling', async () => {
    const [a, b] = (await svc().create([
      ANN,
      {
        ...ANN,
        name: 'bob',
        idNumber: '110101198001010010',
        mobile: '13700000000',
        salary: 9,
        contact: { phone: '020-1234' }
      }
    ])) as Rec[]
    const names = async (query: Rec) =>
      ((await svc().find({ paginate: false, query })) as Rec[]).map((r) => r.name).sort()
    expect(await names({ idNumber: '11010119900307001X' })).toEqual(['ann'])
    expect(await names({ idNumber: ' 11010119900307001x ' })).toEqual(['ann'])
    expect(await names({ mobile: '+86 13812345678' })).toEqual(['ann'])
    expect(await names({ mobile: { $eq: '13700000000' } })).toEqual(['bob'])
    expect(await names({ salary: '9' })).toEqual(['bob'])
    expect(await names({ 'contact.phone': '0201234' })).toEqual(['bob'])
    expect(await names({ mobile: { $in: ['13812345678', '13700000000', '1'] } })).toEqual(['ann', 'bob'])
    expect(await names({ mobile: { $in: { 0: '13700000000' } } })).toEqual(['bob'])
    expect(await names({ mobile: { $nin: ['13812345678'] } })).toEqual(['bob'])
    expect(await names({ mobile: { $ne: '13812345678' }, name: 'bob' })).toEqual(['bob'])
    expect(
      await names({ $or: [{ idNumber: '110101198001010010' }, { name: 'ann', mobile: '13812345678' }] })
    ).toEqual(['ann', 'bob'])
    expect(await names({ $and: [{ mobile: { $ne: null } }, { idNumber: '110101198001010010' }] })).toEqual([
      'bob'
    ])
    expect(await names({ idNumber: 'nobody' })).toEqual([])
    await svc().patch(b.id, { mobile: null })
    expect(await names({ mobile: null })).toEqual(['bob'])
    expect(await names({ mobile: { $in: [null, '13812345678'] } })).toEqual(['ann', 'bob'])
    expect(await svc().get(a.id, { query: { idNumber: '11010119900307001X' } })).toMatchObject({
      name: 'ann'
    })
    await expect(svc().get(a.id, { query: { idNumber: '110101198001010010' } })).rejects.toMatchObject({
      code: 404
    })
  })

  it('rewrites filters of multi patch and remove too', async () => {
    await svc().create([ANN, { ...ANN, name: 'bob', idNumber: '110101198001010010', mobile: '13700000000' }])
    const changed = (await svc().patch(
      null,
      { salary: 1 },
      { query: { mobile: { $in: ['13700000000'] } } }
    )) as Rec[]
    expect(changed.map((r) => [r.name, r.salary, r.mobile])).toEqual([['bob', 1, '13700000000']])
    const removed = (await svc().remove(null, { query: { idNumber: '11010119900307001X' } })) as Rec[]
    expect(removed.map((r) => r.name)).toEqual(['ann'])
  })

  it('refuses ranges, patterns, sorting and searches inside encrypted values with a 400 naming the field', async () => {
    const cases: Rec[] = [
      { idNumber: { $gt: '1' } },
      { mobile: { $like: '138%' } },
      { mobile: { $ilike: '%5678' } },
      { salary: { $lte: 100 } },
      { $or: [{ name: 'x' }, { idNumber: { $gte: '1' } }] },
      { $sort: { idNumber: 1 } },
      { $sort: { 'contact.phone': -1 } },
      { family: [{ name: '李四' }] },
      { 'family.name': '李四' },
      { idNumber: { $in: 'notalist' } },
      { mobile: { $eq: '1', name: 'x' } }
    ]
    for (const query of cases) {
      const e = await failure(svc().find({ query, provider: 'rest' }))
      expect(e.code, JSON.stringify(query)).toBe(400)
      expect(e.message).toMatch(/encrypted|list of values/)
      expect(e.data.field).toBeDefined()
    }
    const e = await failure(svc().find({ query: { idNumber: { $gt: '1' } } }))
    expect(e.message).toMatch(/已加密.*\$gt/)
    expect(e.data).toMatchObject({ field: 'idNumber', reason: 'encrypted-field' })
    await expect(svc().create({ name: 'x', salary: 'lots' })).rejects.toMatchObject({
      code: 400,
      data: { field: 'salary' }
    })
    expect(() => encryptionHook({ ...PEOPLE, defaultSort: { mobile: 1 } }, crypto)).toThrow(
      /defaultSort cannot use the encrypted field mobile/
    )
  })

  it('ignores blind indexes a client sends: only the hook computes them', async () => {
    const forged = (await svc().create({
      name: 'eve',
      idNumber__bidx: 'forged',
      mobile__bidx: 'x',
      contact: { phone__bidx: 'y' }
    })) as Rec
    const [text] = await storedText(t.db)
    expect(text).not.toMatch(/forged|"x"|"y"/)
    await svc().patch(forged.id, { mobile__bidx: 'again' })
    expect((await storedText(t.db))[0]).not.toContain('again')
  })

  it('fails loudly on tampered ciphertext or an unknown key version', async () => {
    const rec = (await svc().create(ANN)) as Rec
    const { rows } = await t.db.query<{ v: string }>(`SELECT doc->>'mobile' AS v FROM c_people`)
    const body = rows[0].v
    const flipped = `${body.slice(0, 20)}${body[20] === 'A' ? 'B' : 'A'}${body.slice(21)}`
    await t.db.query(`UPDATE c_people SET doc = jsonb_set(doc, '{mobile}', to_jsonb($1::text))`, [flipped])
    const e = await failure(svc().get(rec.id))
    expect(e.code).toBe(500)
    expect(e.message).toMatch(/无法解密 people.mobile/)
    expect(e.message).toContain(rec.id)
    expect(e.data).toMatchObject({ reason: 'decrypt', cause: 'tampered', field: 'mobile' })
    expect((await failure(svc().find({ query: {} }))).data.cause).toBe('tampered')
    // A value moved from another field does not verify either (AAD = collection|field).
    await t.db.query(`UPDATE c_people SET doc = jsonb_set(doc, '{mobile}', doc->'idNumber')`)
    expect((await failure(svc().get(rec.id))).data.cause).toBe('tampered')
    await t.db.query(
      `UPDATE c_people SET doc = jsonb_set(doc, '{mobile}', to_jsonb(replace(doc->>'idNumber', 'enc:v1:', 'enc:v9:')))`
    )
    const unknown = await failure(svc().get(rec.id))
    expect(unknown.data.cause).toBe('unknown-version')
    expect(unknown.message).toMatch(/v9/)
  })

  it('reads a clear value stored before the field was marked sensitive', async () => {
    await t.db.query(
      `INSERT INTO c_people (id, doc) VALUES ('legacy', '{"name":"old","mobile":"13811112222"}')`
    )
    expect(await svc().get('legacy')).toMatchObject({ name: 'old', mobile: '13811112222' })
  })

  it.runIf(indexPlan(PEOPLE).some((s) => s.body.includes('__bidx')))(
    'indexes blind indexes and keeps sensitive unique fields unique (storage patch)',
    async () => {
      await svc().create(ANN)
      await expect(
        svc().create({ ...ANN, idNumber: '11010119900307001X', name: 'dup' })
      ).rejects.toMatchObject({ code: 409 })
      // As the adapter asks for live rows: the unique index (live rows only) serves the lookup.
      const plan = await t.db.query<Rec>(
        `EXPLAIN SELECT id FROM c_people WHERE deleted_at IS NULL AND ((doc->>'idNumber__bidx') COLLATE "C") = 'x'`
      )
      expect(JSON.stringify(plan.rows)).toMatch(/Index/)
    }
  )

  it('costs little on a single-record write and read (printed)', async () => {
    const plain = await peopleApp(t.db, crypto, {
      ...PEOPLE,
      name: 'people_plain',
      fields: PEOPLE.fields.map((f) => ({ ...f, sensitive: false }))
    })
    const time = async (fn: (i: number) => Promise<unknown>, n: number) => {
      const all: number[] = []
      for (let i = 0; i < n; i++) {
        const start = performance.now()
        await fn(i)
        all.push(performance.now() - start)
      }
      return all.sort((a, b) => a - b)[Math.floor(n / 2)]
    }
    const n = 150
    const rec = (i: number) => ({ ...ANN, idNumber: `1101011990030${String(i).padStart(5, '0')}` })
    const ids: Record<string, string[]> = { people: [], people_plain: [] }
    const result: Rec = {}
    for (const name of ['people_plain', 'people', 'people_plain', 'people']) {
      const s = (name === 'people' ? app : plain).service(name)
      ids[name] = []
      result[`${name} create`] = await time(
        async (i) => ids[name].push(((await s.create(rec(i))) as Rec).id),
        n
      )
      result[`${name} get`] = await time((i) => s.get(ids[name][i]), n)
      await t.db.query(`DELETE FROM c_${name}`)
    }
    // The hook's own CPU time for one record (5 values encrypted, 4 blind indexes), without the database.
    const codec = compileCodec(PEOPLE)
    const cpu = async () => {
      const start = performance.now()
      for (let i = 0; i < 1000; i++)
        await decodeResult(codec, crypto, { id: 'x', ...(encodeData(codec, crypto, ANN) as Rec) })
      return (performance.now() - start) / 1000
    }
    await cpu()
    const perRecord = await cpu()
    console.log(
      `[crypto bench ${driver}] median ms, ${n} ops: ` +
        `create plain ${result['people_plain create'].toFixed(3)} / encrypted ${result['people create'].toFixed(3)}; ` +
        `get plain ${result['people_plain get'].toFixed(3)} / encrypted ${result['people get'].toFixed(3)}; ` +
        `hook CPU per record (encrypt + index + decrypt) ${(perRecord * 1000).toFixed(0)} µs`
    )
    expect(result['people create']).toBeLessThan(result['people_plain create'] + 5)
  })
})
