import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { peopleInTwoDepartments } from '../../../tests/support/auth.js'

const training = defineCollection({
  name: 'training',
  fields: [
    { name: 'title', type: 'string', filterable: true, unique: true },
    { name: 'hours', type: 'number', filterable: true, sortable: true },
    { name: 'result', type: 'string', filterable: true }
  ]
})
const plugin = definePlugin({ name: 'training', version: '1.0.0', collections: [training] })
type Rec = Record<string, any>

describe.each(DRIVERS)('batch operations and saved views on %s', (driver) => {
  let t: TestServer
  let auth: Record<string, Record<string, string>>
  let users: Record<string, Rec>
  beforeAll(async () => {
    t = await startTestServer(driver, [plugin])
    const people = await peopleInTwoDepartments(t, {
      sec: ['dept_secretary', 'A'],
      s1: ['staff', 'A'],
      s2: ['staff', 'B'],
      ma: ['medical_affairs_admin', 'A']
    })
    ;({ users, auth } = people)
    const rows = Array.from({ length: 30 }, (_, i) => ({
      title: `t${i}`,
      hours: i,
      result: 'pending',
      ownerId: i < 20 ? users.s1.id : users.s2.id,
      deptId: i < 20 ? people.depts.A.id : people.depts.B.id
    }))
    await t.server.app.service('training').create(rows)
  })
  afterAll(() => t.close())

  it('batch-edits every matching row within scope, in one transaction, audited per row', async () => {
    const res = await t.api(
      'POST',
      '/api/batch',
      {
        collection: 'training',
        action: 'patch',
        filter: { hours: { $gte: 10 } },
        data: { result: 'passed' }
      },
      auth.sec
    )
    expect(res.body).toEqual({ count: 10 })
    const passed = (await t.server.app
      .service('training')
      .find({ query: { result: 'passed' }, paginate: false })) as Rec[]
    expect(passed.map((r) => r.hours).sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    const audit = (await t.server.app
      .service('audit')
      .find({ query: { collection: 'training', action: 'patch', $limit: 100 } })) as { data: Rec[] }
    expect(audit.data).toHaveLength(10)
    expect(audit.data[0].diff).toEqual({ result: ['pending', 'passed'] })
  })

  it('batch-deletes a selection and restores it; ids out of scope are simply not reached', async () => {
    const mine = (await t.api('GET', '/api/training?$limit=3&$sort[hours]=1', undefined, auth.s1)).body
      .data as Rec[]
    const theirs = (await t.api('GET', '/api/training?$limit=1', undefined, auth.s2)).body.data as Rec[]
    const ids = [...mine.map((r) => r.id), theirs[0].id]
    const removed = await t.api(
      'POST',
      '/api/batch',
      { collection: 'training', action: 'remove', ids },
      auth.s1
    )
    expect(removed.body).toEqual({ count: 3 })
    expect((await t.server.app.service('training').get(theirs[0].id)).id).toBe(theirs[0].id)
    expect(
      (await t.api('POST', '/api/batch', { collection: 'training', action: 'restore', ids }, auth.s1)).status
    ).toBe(403)
    expect(
      (await t.api('POST', '/api/batch', { collection: 'training', action: 'restore', ids }, auth.sec)).status
    ).toBe(403)
    expect(
      (await t.api('POST', '/api/batch', { collection: 'training', action: 'restore', ids }, auth.ma)).body
    ).toEqual({ count: 3 })
  })

  it('refuses a batch edit of fields that decide access, and bad requests, changing nothing', async () => {
    const move = await t.api(
      'POST',
      '/api/batch',
      { collection: 'training', action: 'patch', filter: {}, data: { deptId: 'elsewhere' } },
      auth.sec
    )
    expect(move.status).toBe(403)
    const bad = await t.api(
      'POST',
      '/api/batch',
      { collection: 'nope', action: 'smash', ids: [], data: 1 },
      auth.sec
    )
    expect(bad.body.errors.map((e: Rec) => e.field).sort()).toEqual(['action', 'collection', 'ids'])
    const unique = await t.api(
      'POST',
      '/api/batch',
      { collection: 'training', action: 'patch', filter: { hours: { $lt: 5 } }, data: { title: 'same' } },
      auth.sec
    )
    expect(unique.status).toBe(409)
    expect(
      ((await t.server.app.service('training').find({ query: { title: 'same' }, paginate: false })) as Rec[])
        .length
    ).toBe(0)
  })

  it('saves views per user, shares them, and rejects invalid filters', async () => {
    const filter = { $or: [{ hours: { $lt: 3 } }, { $and: [{ result: 'passed' }, { hours: { $gte: 18 } }] }] }
    const view = await t.api(
      'POST',
      '/api/saved-views',
      { collection: 'training', name: '我的视图', filter, sort: { hours: -1 }, columns: ['title', 'hours'] },
      auth.s1
    )
    expect(view.status).toBe(201)
    expect(view.body.shared).toBe(false)
    expect((await t.api('GET', '/api/saved-views', undefined, auth.s2)).body.total).toBe(0)
    await t.api('PATCH', `/api/saved-views/${view.body.id}`, { shared: true }, auth.s1)
    expect(
      (await t.api('GET', '/api/saved-views?collection=training', undefined, auth.s2)).body.data[0].name
    ).toBe('我的视图')
    expect(
      (await t.api('PATCH', `/api/saved-views/${view.body.id}`, { name: 'taken over' }, auth.s2)).status
    ).toBe(404)
    const bad = await t.api(
      'POST',
      '/api/saved-views',
      { collection: 'training', name: 'x', filter: { hours: { $regex: '.*' } } },
      auth.s1
    )
    expect(bad.body.errors[0].field).toBe('filter')
    const rows = (
      await t.api(
        'GET',
        `/api/training?${new URLSearchParams({ '$or[0][hours][$lt]': '3', '$sort[hours]': '-1' })}`,
        undefined,
        auth.s1
      )
    ).body.data as Rec[]
    expect(rows.map((r) => r.hours)).toEqual([2, 1, 0])
  })

  it('reads compound filters nested deeper than five levels from the query string', async () => {
    const deep = '$or[0][$and][0][$or][0][$and][0][$or][0][hours][$lt]=2&$or[1][hours]=29&$sort[hours]=1'
    const rows = (await t.api('GET', `/api/training?${deep}`, undefined, auth.ma)).body.data as Rec[]
    expect(rows.map((r) => r.hours)).toEqual([0, 1, 29])
  })
})
