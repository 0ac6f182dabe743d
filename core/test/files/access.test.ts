import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'
import {
  download,
  filesOnDisk,
  pdfBytes,
  pngBytes,
  sha256,
  startFilesServer,
  upload,
  type FilesServer
} from './support.js'

type Rec = Record<string, any>

describe.each(DRIVERS)('who may reach a file on %s', (driver) => {
  let t: FilesServer
  const tok: Record<string, string> = {}
  const auth = (who: string) => bearer(tok[who])
  const newCase = async (who: string, title: string) =>
    (await t.api('POST', '/api/cases', { title }, auth(who))).body as Rec
  const attach = async (who: string, rec: Rec, bytes: Buffer, name = 'a.pdf') =>
    (
      await upload(t, [{ bytes, name }], {
        token: tok[who],
        fields: { collection: 'cases', recordId: rec.id, field: 'attachments' }
      })
    ).body[0] as Rec

  beforeAll(async () => {
    t = await startFilesServer(driver)
    const dept = (await t.server.app
      .service('departments')
      .create({ code: 'D', name: '医务科', type: 'functional', parentId: null })) as Rec
    for (const [name, roles] of [
      ['a', ['staff']],
      ['b', ['staff']],
      ['ma', ['medical_affairs_admin']]
    ] as const) {
      await createUser(t.server, { username: `user_${name}`, roles: [...roles], deptId: dept.id })
      tok[name] = await login(t, `user_${name}`)
    }
  })
  afterAll(() => t.close())
  afterEach(() => vi.useRealTimers())

  it("lets staff reach their own record's files and nobody else's", async () => {
    const rec = await newCase('a', 'A 的病例')
    const file = await attach('a', rec, pdfBytes(2000, 11))
    expect(file).toMatchObject({ collection: 'cases', recordId: rec.id, field: 'attachments' })
    const path = `/api/files/${file.id}/content`
    expect((await download(t, path, tok.a)).status).toBe(200)
    expect((await download(t, path, tok.ma)).status).toBe(200) // all-scope reader
    expect((await download(t, path, tok.b)).status).toBe(404)
    expect((await download(t, path)).status).toBe(401)
    expect((await t.api('GET', `/api/files/${file.id}`, undefined, auth('b'))).status).toBe(404)
    expect((await t.api('GET', `/api/files/${file.id}/url`, undefined, auth('b'))).status).toBe(404)
    const listA = await t.api('GET', `/api/files?collection=cases&recordId=${rec.id}`, undefined, auth('a'))
    expect(listA.body.map((f: Rec) => f.id)).toEqual([file.id])
    expect(
      (await t.api('GET', `/api/files?collection=cases&recordId=${rec.id}`, undefined, auth('b'))).body
    ).toEqual([])
    expect((await t.api('DELETE', `/api/files/${file.id}`, undefined, auth('b'))).status).toBe(404)
  })

  it('refuses uploads onto a record the uploader may not change, before storing anything', async () => {
    const rec = await newCase('a', 'A 的另一个病例')
    const before = await filesOnDisk(t.dir)
    const res = await upload(t, [{ bytes: pdfBytes(3000, 12), name: 'x.pdf' }], {
      token: tok.b,
      fields: { collection: 'cases', recordId: rec.id }
    })
    expect(res.status).toBe(403)
    expect(await filesOnDisk(t.dir)).toEqual(before)
    const unknown = await upload(t, [{ bytes: pdfBytes(3000, 12), name: 'x.pdf' }], {
      token: tok.a,
      fields: { collection: 'nope', recordId: rec.id }
    })
    expect(unknown.status).toBe(400)
  })

  it('keeps an upload for a new record with its uploader until it is attached', async () => {
    const [pending] = (
      await upload(t, [{ bytes: pdfBytes(1500, 13), name: '新.pdf' }], {
        token: tok.a,
        fields: { collection: 'cases' }
      })
    ).body
    expect(pending.recordId).toBeNull()
    expect((await download(t, `/api/files/${pending.id}/content`, tok.b)).status).toBe(404)
    expect((await t.api('GET', '/api/files', undefined, auth('a'))).body.map((f: Rec) => f.id)).toContain(
      pending.id
    )
    const rec = await newCase('a', '保存后的病例')
    expect((await t.api('PATCH', `/api/files/${pending.id}`, { recordId: rec.id }, auth('b'))).status).toBe(
      404
    )
    const attached = await t.api(
      'PATCH',
      `/api/files/${pending.id}`,
      { recordId: rec.id, field: 'attachments' },
      auth('a')
    )
    expect(attached.body).toMatchObject({ collection: 'cases', recordId: rec.id, field: 'attachments' })
    // Once its record exists the file stays with it.
    const other = await newCase('a', '另一个')
    expect((await t.api('PATCH', `/api/files/${pending.id}`, { recordId: other.id }, auth('a'))).status).toBe(
      403
    )
  })

  it('gives short-lived signed URLs that work without a token and expire', async () => {
    const rec = await newCase('a', '图片病例')
    const file = await attach('a', rec, await pngBytes(640, 480), 'scan.png')
    const signed = await t.api('GET', `/api/files/${file.id}/url?thumb=1`, undefined, auth('a'))
    expect(signed.status).toBe(200)
    expect(Date.parse(signed.body.expiresAt) - Date.now()).toBeGreaterThan(290_000)
    const thumb = await download(t, signed.body.url)
    expect([thumb.status, thumb.headers.get('content-type')]).toEqual([200, 'image/webp'])
    const full = (await t.api('GET', `/api/files/${file.id}/url`, undefined, auth('a'))).body.url as string
    expect((await download(t, full)).status).toBe(200)
    expect((await download(t, full.replace(/sig=[^&]+/, 'sig=AAAA'))).status).toBe(403)
    expect(
      (await download(t, full.replace(/uid=[^&]+/, `uid=${encodeURIComponent('someone-else')}`))).status
    ).toBe(403)
    expect((await download(t, `${full}&thumb=1`)).status).toBe(403) // the variant is signed too

    const short = await t.api('GET', `/api/files/${file.id}/url?expiresIn=1`, undefined, auth('a'))
    expect(Date.parse(short.body.expiresAt) - Date.now()).toBeLessThanOrEqual(1000)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 2000)
    const expired = await download(t, short.body.url)
    expect(expired.status).toBe(403)
    expect(JSON.parse(expired.bytes.toString()).data.expired).toBe(true)
    vi.setSystemTime(Date.now() + 10 * 60_000)
    expect((await download(t, full)).status).toBe(403) // five minutes at most
  })

  it('also takes the token as ?access_token= for plain links', async () => {
    const rec = await newCase('a', '链接')
    const file = await attach('a', rec, pdfBytes(900, 14))
    expect((await download(t, `/api/files/${file.id}/content?access_token=${tok.a}`)).status).toBe(200)
    expect((await download(t, `/api/files/${file.id}/content?access_token=${tok.b}`)).status).toBe(404)
    expect((await download(t, `/api/files/${file.id}/content?access_token=garbage`)).status).toBe(401)
  })

  it('follows its record into the recycle bin and back', async () => {
    const rec = await newCase('a', '将被删除')
    const file = await attach('a', rec, pdfBytes(1200, 15))
    const path = `/api/files/${file.id}/content`
    expect((await t.api('DELETE', `/api/cases/${rec.id}`, undefined, auth('a'))).status).toBe(200)
    expect((await download(t, path, tok.a)).status).toBe(404)
    expect(
      (await t.api('GET', `/api/files?collection=cases&recordId=${rec.id}`, undefined, auth('a'))).body
    ).toEqual([])
    expect((await download(t, path, tok.ma)).status).toBe(200) // may restore, so may look
    const restored = await t.api(
      'POST',
      '/api/recycle-bin',
      { action: 'restore', items: [{ collection: 'cases', id: rec.id }] },
      auth('ma')
    )
    expect(restored.status).toBe(201)
    expect((await download(t, path, tok.a)).status).toBe(200)
  })

  it('purges bytes only when no other file shares them', async () => {
    const bytes = pdfBytes(4000, 16)
    const blob = `${sha256(bytes).slice(0, 2)}/${sha256(bytes).slice(2, 4)}/${sha256(bytes)}`
    const [r1, r2] = [await newCase('a', '共享一'), await newCase('a', '共享二')]
    const [f1, f2] = [await attach('a', r1, bytes), await attach('a', r2, bytes)]
    for (const r of [r1, r2]) await t.api('DELETE', `/api/cases/${r.id}`, undefined, auth('a'))
    const purge = (r: Rec) =>
      t.api(
        'POST',
        '/api/recycle-bin',
        { action: 'purge', items: [{ collection: 'cases', id: r.id }] },
        auth('ma')
      )
    expect((await purge(r1)).status).toBe(201)
    await t.files.store.idle()
    expect(await t.files.store.byId(f1.id)).toBeNull()
    expect(await filesOnDisk(t.dir)).toContain(blob)
    expect((await download(t, `/api/files/${f2.id}/content`, tok.ma)).status).toBe(200)
    expect((await purge(r2)).status).toBe(201)
    await t.files.store.idle()
    expect(await filesOnDisk(t.dir)).not.toContain(blob)
  })

  it('removes a file on request and its bytes with it when unshared', async () => {
    const rec = await newCase('a', '删除附件')
    const bytes = pdfBytes(2500, 17)
    const file = await attach('a', rec, bytes)
    expect((await t.api('DELETE', `/api/files/${file.id}`, undefined, auth('a'))).status).toBe(200)
    expect(await filesOnDisk(t.dir)).not.toContain(
      `${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}`
    )
    const audit = await t.server.db.query(
      `SELECT action FROM _audit WHERE collection = 'files' AND record_id = $1 ORDER BY seq`,
      [file.id]
    )
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'remove'])
  })
})
