import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import { AuditLog } from '../../src/audit/audit-log.js'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'

const notes = defineCollection({
  name: 'notes',
  fields: [
    { name: 'title', type: 'string', unique: true },
    { name: 'idNumber', type: 'string', sensitive: true },
    { name: 'mobile', type: 'string' }
  ]
})
const plugin = definePlugin({ name: 'notes', version: '1.0.0', collections: [notes] })
type Rec = Record<string, any>

describe.each(DRIVERS)('audit trail on %s', (driver) => {
  let t: TestServer
  const auth: Record<string, Record<string, string>> = {}
  const users: Record<string, Rec> = {}
  beforeAll(async () => {
    t = await startTestServer(driver, [plugin])
    await t.server.app
      .service('masking-rules')
      .create({ collection: 'notes', field: 'mobile', rule: { kind: 'mobile' } })
    for (const [name, roles] of [
      ['ma', ['medical_affairs_admin']],
      ['s1', ['staff']],
      ['s2', ['staff']],
      ['aud', ['audit_admin']]
    ] as const) {
      users[name] = await createUser(t.server, { username: name, roles: [...roles] })
      auth[name] = bearer(await login(t, name))
    }
  })
  afterAll(() => t.close())

  const trail = (q: Rec) => t.server.app.service('audit').find({ query: q }) as Promise<{ data: Rec[] }>

  it('records every write with actor, address, record and a masked diff', async () => {
    const created = (
      await t.api(
        'POST',
        '/api/notes',
        { title: 'n1', idNumber: '110101199003070017', mobile: '13812345678' },
        auth.s1
      )
    ).body
    await t.api('PATCH', `/api/notes/${created.id}`, { mobile: '13900001111' }, auth.s1)
    await t.api('DELETE', `/api/notes/${created.id}`, undefined, auth.s1)
    const { data } = await trail({ collection: 'notes', recordId: created.id })
    expect(data.map((e) => e.action)).toEqual(['remove', 'patch', 'create'])
    expect(data[2]).toMatchObject({
      actorId: users.s1.id,
      actorName: 's1',
      ip: expect.stringMatching(/127\.0\.0\.1/)
    })
    expect(data[2].diff.idNumber).toEqual([null, expect.stringMatching(/^\*+$/)])
    expect(data[1].diff).toEqual({ mobile: ['138****5678', '139****1111'] })
    expect(JSON.stringify(data)).not.toContain('110101199003070017')
    expect(JSON.stringify(data)).not.toContain('13900001111')
  })

  it('keeps no unused append function: a single entry is a prepared statement', async () => {
    const { rows } = await t.server.db.query(
      `SELECT to_regprocedure('_audit_append_one(text, timestamptz, text, text, text, text, text, text)') AS f,
              to_regprocedure('_audit_append(jsonb)') AS batch`
    )
    expect(rows[0]).toEqual({ f: null, batch: '_audit_append(jsonb)' })
  })

  it('writes nothing — neither record nor entry — when a write fails', async () => {
    const before = (await trail({ collection: 'notes' })).data.length
    expect((await t.api('POST', '/api/notes', { title: 'dup' }, auth.s1)).status).toBe(201)
    expect((await t.api('POST', '/api/notes', { title: 'dup' }, auth.s1)).status).toBe(409)
    expect((await trail({ collection: 'notes' })).data.length).toBe(before + 1)
  })

  it('records logins, failed logins and logouts', async () => {
    await t.api('POST', '/api/authentication', { strategy: 'local', username: 's2', password: 'Wrong#pass1' })
    const token = await login(t, 's2')
    await t.api('DELETE', `/api/authentication/${token}`, undefined, bearer(token))
    const { data } = await trail({ actorId: users.s2.id })
    expect(data.slice(0, 3).map((e) => e.action)).toEqual(['logout', 'login', 'login_failed'])
  })

  it('lets only the audit administrator search the trail', async () => {
    expect((await t.api('GET', '/api/audit?collection=notes', undefined, auth.ma)).status).toBe(403)
    const res = await t.api('GET', '/api/audit?collection=notes&$limit=2', undefined, auth.aud)
    expect(res.status).toBe(200)
    expect(res.body.data).toHaveLength(2)
    const next = await t.api(
      'GET',
      `/api/audit?collection=notes&$limit=2&beforeSeq=${res.body.next}`,
      undefined,
      auth.aud
    )
    expect(next.body.data[0].seq).toBeLessThan(res.body.data[1].seq)
    expect((await t.api('GET', '/api/audit?from=yesterday', undefined, auth.aud)).status).toBe(400)
  })

  it("shows a record's history to those who may read the record, not to others", async () => {
    const note = (await t.api('POST', '/api/notes', { title: 'mine' }, auth.s1)).body
    expect(
      (await t.api('GET', `/api/history?collection=notes&recordId=${note.id}`, undefined, auth.s1)).body
        .data[0].action
    ).toBe('create')
    expect(
      (await t.api('GET', `/api/history?collection=notes&recordId=${note.id}`, undefined, auth.s2)).status
    ).toBe(404)
    expect(
      (await t.api('GET', `/api/history?collection=notes&recordId=${note.id}`, undefined, auth.aud)).status
    ).toBe(403)
  })

  it('unmasks for those with the right, and records that they looked', async () => {
    const note = (await t.api('POST', '/api/notes', { title: 'secret', mobile: '13712345678' }, auth.s1)).body
    expect(note.mobile).toBe('137****5678')
    expect((await t.api('POST', '/api/unmask', { collection: 'notes', id: note.id }, auth.s1)).status).toBe(
      403
    )
    const clear = await t.api('POST', '/api/unmask', { collection: 'notes', id: note.id }, auth.ma)
    expect(clear.body.values).toEqual({ mobile: '13712345678' })
    const { data } = await trail({ action: 'unmask' })
    expect(data[0]).toMatchObject({ actorId: users.ma.id, recordId: note.id, diff: { fields: ['mobile'] } })
  })

  it('keeps one unbroken chain when single entries and batches are appended concurrently', async () => {
    const log = new AuditLog(t.server.db)
    const before = Number((await t.server.db.query('SELECT seq FROM _audit_head')).rows[0].seq)
    const one = (i: number) =>
      log.append([{ action: 'read', collection: 'notes', recordId: `c${i}`, diff: { i } }])
    const batch = (i: number) =>
      log.append(
        [0, 1, 2].map((k) => ({ action: 'read' as const, collection: 'notes', recordId: `b${i}.${k}` }))
      )
    // Separate pool connections on the server (and queued calls on PGlite) race for the head row.
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? batch(i) : one(i))))
    const head = Number((await t.server.db.query('SELECT seq FROM _audit_head')).rows[0].seq)
    expect(head - before).toBe(30 + 10 * 3)
    const seqs = (
      await t.server.db.query<{ seq: number }>('SELECT seq FROM _audit WHERE seq > $1 ORDER BY seq', [before])
    ).rows.map((r) => Number(r.seq))
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, k) => before + k + 1))
    expect(await log.verify()).toMatchObject({ ok: true, problems: [] })
  })

  it('verifies the chain, and reports an edited, a removed and a truncated entry', async () => {
    const log = new AuditLog(t.server.db)
    expect((await log.verify()).ok).toBe(true)
    const db = t.server.db
    await expect(db.query(`UPDATE _audit SET actor_name = 'x' WHERE seq = 3`)).rejects.toThrow(/append-only/)
    // Someone with raw database access goes around the trigger:
    await db.query(`ALTER TABLE _audit DISABLE TRIGGER _audit_append_only`)
    await db.query(
      `UPDATE _audit SET payload = replace(payload, '"s1"', '"s9"') WHERE seq = (SELECT min(seq) FROM _audit WHERE actor_name = 's1')`
    )
    await db.query(`DELETE FROM _audit WHERE seq = 5`)
    const max = Number((await db.query(`SELECT max(seq) AS m FROM _audit`)).rows[0].m)
    await db.query(`DELETE FROM _audit WHERE seq = $1`, [max])
    await db.query(`ALTER TABLE _audit ENABLE TRIGGER _audit_append_only`)
    const report = await log.verify()
    expect(report.ok).toBe(false)
    const problems = report.problems.map((p) => p.problem).join('\n')
    expect(problems).toMatch(/edited/)
    expect(problems).toMatch(/entries 5–5 are missing/)
    expect(problems).toMatch(/removed from the end/)
  })
})
