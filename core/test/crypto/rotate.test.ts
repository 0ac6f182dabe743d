import { setTimeout as sleep } from 'node:timers/promises'
import type { Application } from '@feathersjs/feathers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { compileCodec, rotateDataKeys, type FieldCrypto } from '../../src/crypto/index.js'
import { createTestDb, DRIVERS, type TestDb } from '../../../tests/support/db.js'
import { openTestCrypto, PEOPLE, peopleApp, storedText, type Rec } from './support.js'

const person = (i: number) => ({
  name: `p${i}`,
  idNumber: `1101011990030${String(i).padStart(5, '0')}`,
  mobile: `138${String(i).padStart(8, '0')}`,
  family: [{ name: `家属${i}` }]
})

async function keyRows(t: TestDb) {
  return (
    await t.db.query<Rec>(
      `SELECT version, retired_at FROM _data_keys WHERE purpose = 'data' ORDER BY version`
    )
  ).rows
}

describe.each(DRIVERS)('key rotation on %s', (driver) => {
  let t: TestDb
  let rotator: FieldCrypto
  let server: FieldCrypto
  let app: Application
  const open: FieldCrypto[] = []
  const crypto = async (refreshMs = 0) => {
    const c = await openTestCrypto(t.db, { refreshMs })
    open.push(c)
    return c
  }

  beforeAll(async () => {
    t = await createTestDb(driver)
  })
  beforeEach(async () => {
    // A new installation each time, without the cost of a new database.
    await t.db.query('DROP TABLE IF EXISTS _data_keys')
    await t.db.query('DROP TABLE IF EXISTS c_people')
    rotator = await crypto()
    // A running server: it learns of the new key by polling, as production servers do.
    server = await crypto(100)
    app = await peopleApp(t.db, server)
  })
  afterEach(() => {
    for (const c of open.splice(0)) c.close()
  })
  afterAll(() => t.drop())

  it('re-encrypts every row while a writer keeps writing; the writer’s values win; v1 is retired', async () => {
    const svc = app.service('people')
    const ids = ((await svc.create(Array.from({ length: 600 }, (_, i) => person(i)))) as Rec[]).map(
      (r) => r.id
    )
    const expected = new Map<string, string>(ids.map((id, i) => [id, person(i).mobile]))
    let stop = false
    let writes = 0
    let reads = 0
    const writer = (async () => {
      for (let n = 0; !stop; n++) {
        const id = ids[(n * 37) % ids.length]
        const mobile = `139${String(n).padStart(8, '0')}`
        await svc.patch(id, { mobile, family: [{ name: `新家属${n}` }] })
        expected.set(id, mobile)
        writes++
        const other = ids[(n * 11) % ids.length]
        expect(((await svc.get(other)) as Rec).mobile).toBe(expected.get(other))
        const found = (await svc.find({ paginate: false, query: { mobile } })) as Rec[]
        expect(found.map((r) => r.id)).toEqual([id])
        reads += 2
        // Requests arrive from the network: yield to timers, as they would. (PGlite answers
        // in microtasks, so a tight loop of queries would starve every timer in the process.)
        await sleep(1)
      }
    })()
    const progress: string[] = []
    const report = await rotateDataKeys(t.db, rotator, {
      batchSize: 40,
      settleMs: 800,
      onProgress: (p) => progress.push(`${p.table} pass ${p.pass}: ${p.done}/${p.total}`)
    })
    stop = true
    await writer
    expect(writes).toBeGreaterThan(10)
    expect(report).toMatchObject({ target: 2, created: true, retired: [1], remaining: {}, failures: [] })
    expect(report.passes).toBeGreaterThanOrEqual(2)
    expect(progress.some((p) => p.startsWith('c_people pass 1: 40/'))).toBe(true)
    expect(server.activeVersion).toBe(2)
    const texts = await storedText(t.db)
    expect(texts.join('\n')).not.toContain('enc:v1:')
    expect(texts.every((x) => x.includes('enc:v2:'))).toBe(true)
    const check = await peopleApp(t.db, rotator)
    const all = (await check.service('people').find({ paginate: false })) as Rec[]
    expect(all).toHaveLength(600)
    for (const r of all) expect(r.mobile, r.name).toBe(expected.get(r.id))
    const rows = await keyRows(t)
    expect(rows.map((r) => [r.version, r.retired_at === null])).toEqual([
      [1, false],
      [2, true]
    ])
    console.log(
      `[crypto rotate ${driver}] 600 rows, ${report.passes} passes, ${report.updated} updated, ${report.skipped} skipped; concurrent writer: ${writes} writes, ${reads} reads`
    )
  })

  it('skips a row changed between read and write, then re-encrypts it on the next pass', async () => {
    const svc = app.service('people')
    const [a] = (await svc.create([person(1), person(2)])) as Rec[]
    let interfered = false
    const report = await rotateDataKeys(t.db, rotator, {
      settleMs: 0,
      beforeUpdate: async (_table, batch) => {
        if (interfered || !batch.includes(a.id)) return
        interfered = true
        await svc.patch(a.id, { mobile: '13600000000' })
      }
    })
    expect(report.skipped).toBe(1)
    expect(report.retired).toEqual([1])
    expect(await (await peopleApp(t.db, rotator)).service('people').get(a.id)).toMatchObject({
      mobile: '13600000000',
      idNumber: person(1).idNumber
    })
    expect((await storedText(t.db)).join()).not.toContain('enc:v1:')
  })

  it('a server that does not poll picks up a new version when it first meets it', async () => {
    const lazy = await crypto(0)
    const lazyApp = await peopleApp(t.db, lazy)
    await rotator.ring.beginRotation(true)
    const writerApp = await peopleApp(t.db, rotator)
    const rec = (await writerApp.service('people').create(person(5))) as Rec
    expect(lazy.activeVersion).toBe(1)
    expect(await lazyApp.service('people').get(rec.id)).toMatchObject(person(5))
    expect(lazy.activeVersion).toBe(2)
    // And the polling server got there by itself.
    await sleep(300)
    expect(server.activeVersion).toBe(2)
  })

  it('resumes an interrupted rotation instead of starting another', async () => {
    const before = (await app.service('people').create([person(1), person(2)])) as Rec[]
    await rotator.ring.beginRotation(true)
    const report = await rotateDataKeys(t.db, rotator, { settleMs: 0 })
    expect(report).toMatchObject({ target: 2, created: false, retired: [1], updated: 2 })
    // Same clear content, so no new revision: an open edit form must not turn into a conflict.
    const after = (await app
      .service('people')
      .find({ paginate: false, query: { $sort: { name: 1 } } })) as Rec[]
    expect(after.map((r) => [r.rev, r.updatedAt, r.mobile])).toEqual(
      before.map((r) => [r.rev, r.updatedAt, r.mobile])
    )
    expect((await keyRows(t)).map((r) => r.version)).toEqual([1, 2])
    const again = await rotateDataKeys(t.db, rotator, { settleMs: 0 })
    expect(again).toMatchObject({ target: 3, created: true, retired: [2] })
  })

  it('seals clear values stored before a field was sensitive, with their blind indexes', async () => {
    await t.db.query(
      `INSERT INTO c_people (id, doc) VALUES ('old1', '{"name":"old","mobile":"138 1111 2222","salary":5,"contact":{"phone":"0755-1"}}')`
    )
    const report = await rotateDataKeys(t.db, rotator, { newKey: false, codecs: [compileCodec(PEOPLE)] })
    expect(report).toMatchObject({ target: 1, created: false, updated: 1 })
    const [text] = await storedText(t.db)
    expect(text).not.toMatch(/1111|"salary": 5|0755/)
    const found = (await app.service('people').find({
      paginate: false,
      query: { mobile: '13811112222', salary: 5, 'contact.phone': '07551' }
    })) as Rec[]
    expect(found).toEqual([expect.objectContaining({ id: 'old1', mobile: '138 1111 2222', salary: 5 })])
  })
})
