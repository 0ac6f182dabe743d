import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import sharp from 'sharp'
import { DRIVERS } from '../../../tests/support/db.js'
import { createUser, login } from '../../../tests/support/auth.js'
import {
  download,
  exeBytes,
  filesOnDisk,
  pdfBytes,
  pngBytes,
  sha256,
  startFilesServer,
  upload,
  type FilesServer
} from './support.js'

const MAX = 200_000

describe.each(DRIVERS)('file upload and download on %s', (driver) => {
  let t: FilesServer
  let token: string

  beforeAll(async () => {
    t = await startFilesServer(driver, { maxBytes: MAX })
    await createUser(t.server, { username: 'uploader', roles: ['staff'] })
    token = await login(t, 'uploader')
  })
  afterAll(() => t.close())

  it('streams an upload to disk and gives the same bytes back, with the right headers', async () => {
    const bytes = pdfBytes(150_000, 1)
    const up = await upload(t, [{ bytes, name: '病历 报告(终).pdf', type: 'text/plain' }], { token })
    expect(up.status).toBe(201)
    const [file] = up.body
    expect(file).toMatchObject({
      name: '病历 报告(终).pdf',
      size: bytes.length,
      mime: 'application/pdf',
      sha256: sha256(bytes),
      hasThumbnail: false
    })
    expect(await filesOnDisk(t.dir)).toEqual([
      `${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}`
    ])

    const got = await download(t, `/api/files/${file.id}/content`, token)
    expect(got.status).toBe(200)
    expect(sha256(got.bytes)).toBe(file.sha256)
    expect(got.headers.get('content-type')).toBe('application/pdf')
    expect(got.headers.get('content-length')).toBe(String(bytes.length))
    expect(got.headers.get('etag')).toBe(`"${file.sha256}"`)
    expect(got.headers.get('x-content-type-options')).toBe('nosniff')
    const disposition = got.headers.get('content-disposition')!
    expect(disposition).toBe(
      `inline; filename="__ __(_).pdf"; filename*=UTF-8''%E7%97%85%E5%8E%86%20%E6%8A%A5%E5%91%8A%28%E7%BB%88%29.pdf`
    )
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('病历 报告(终).pdf')
    const cached = await download(t, `/api/files/${file.id}/content`, token, {
      'if-none-match': `"${file.sha256}"`
    })
    expect(cached.status).toBe(304)
    const meta = await t.api('GET', `/api/files/${file.id}`, undefined, { authorization: `Bearer ${token}` })
    expect(meta.body).toMatchObject({ id: file.id, createdBy: expect.any(String), deletedAt: null })
  })

  it('stores the same content once however often it is uploaded', async () => {
    const bytes = pdfBytes(5_000, 2)
    const a = await upload(t, [{ bytes, name: 'a.pdf' }], { token })
    const b = await upload(t, [{ bytes, name: 'b.pdf' }], { token })
    expect(a.body[0].id).not.toBe(b.body[0].id)
    expect(a.body[0].sha256).toBe(b.body[0].sha256)
    const blobs = (await filesOnDisk(t.dir)).filter((f) => f.endsWith(sha256(bytes)))
    expect(blobs).toHaveLength(1)
    const rows = await t.server.db.query('SELECT count(*)::int AS n FROM _files WHERE sha256 = $1', [
      sha256(bytes)
    ])
    expect(rows.rows[0].n).toBe(2)
  })

  it('refuses a file over the size limit with 413 and leaves nothing on disk', async () => {
    const before = await filesOnDisk(t.dir)
    const res = await upload(t, [{ bytes: pdfBytes(MAX + 50_000, 3), name: 'big.pdf' }], { token })
    expect(res.status).toBe(413)
    expect(res.body.message).toMatch(/文件超过大小上限.*file exceeds/)
    expect(await filesOnDisk(t.dir)).toEqual(before)
    // The connection stays usable after the refusal.
    expect((await upload(t, [{ bytes: pdfBytes(MAX, 4), name: 'exact.pdf' }], { token })).status).toBe(201)
  })

  it('leaves nothing behind when the client goes away mid-upload', async () => {
    const before = await filesOnDisk(t.dir)
    const boundary = 'cut-off-boundary'
    const req = request(`${t.url}/api/files`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': '150000',
        authorization: `Bearer ${token}`
      }
    })
    req.on('error', () => undefined)
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`
    )
    req.write(pdfBytes(60_000, 9))
    await vi.waitFor(async () =>
      expect((await filesOnDisk(t.dir)).some((f) => f.startsWith('.tmp/'))).toBe(true)
    )
    req.destroy()
    await vi.waitFor(async () => expect(await filesOnDisk(t.dir)).toEqual(before))
  })

  it('judges the type by the bytes, not the name', async () => {
    const png = await pngBytes(40, 30)
    const renamed = await upload(t, [{ bytes: png, name: 'setup.exe', type: 'application/x-msdownload' }], {
      token
    })
    expect(renamed.status).toBe(201)
    expect(renamed.body[0]).toMatchObject({ mime: 'image/png', width: 40, height: 30 })
    const before = await filesOnDisk(t.dir)
    const exe = await upload(t, [{ bytes: exeBytes(), name: '报告.pdf', type: 'application/pdf' }], { token })
    expect(exe.status).toBe(415)
    expect(exe.body.message).toMatch(/不支持的文件类型/)
    const text = await upload(
      t,
      [{ bytes: Buffer.from('<svg onload="alert(1)"></svg>'), name: 'x.png', type: 'image/png' }],
      { token }
    )
    expect(text.status).toBe(415)
    expect(await filesOnDisk(t.dir)).toEqual(before)
  })

  it('answers byte ranges: first bytes, suffix, open end, and 416 for bad ones', async () => {
    const bytes = pdfBytes(1000, 5)
    const [file] = (await upload(t, [{ bytes, name: 'r.pdf' }], { token })).body
    const path = `/api/files/${file.id}/content`
    const first = await download(t, path, token, { range: 'bytes=0-9' })
    expect(first.status).toBe(206)
    expect(first.headers.get('content-range')).toBe('bytes 0-9/1000')
    expect(first.bytes.equals(bytes.subarray(0, 10))).toBe(true)
    const suffix = await download(t, path, token, { range: 'bytes=-10' })
    expect(suffix.status).toBe(206)
    expect(suffix.bytes.equals(bytes.subarray(990))).toBe(true)
    const open = await download(t, path, token, { range: 'bytes=995-' })
    expect(open.headers.get('content-range')).toBe('bytes 995-999/1000')
    expect(open.bytes.equals(bytes.subarray(995))).toBe(true)
    for (const range of ['bytes=1000-', 'bytes=5-2', 'bytes=-0', 'bytes=x-y']) {
      const bad = await download(t, path, token, { range })
      expect(bad.status, range).toBe(416)
      expect(bad.headers.get('content-range')).toBe('bytes */1000')
    }
    const head = await fetch(`${t.url}${path}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}` }
    })
    expect([head.status, head.headers.get('content-length'), (await head.arrayBuffer()).byteLength]).toEqual([
      200,
      '1000',
      0
    ])
    const stale = await download(t, path, token, { range: 'bytes=0-9', 'if-range': '"other"' })
    expect(stale.status).toBe(200)
    expect(stale.bytes.length).toBe(1000)
  })

  it('makes a 320-px WebP thumbnail and records the image size', async () => {
    const png = await pngBytes(800, 600, '#2266aa')
    const [file] = (await upload(t, [{ bytes: png, name: '照片.png' }], { token })).body
    expect(file).toMatchObject({ width: 800, height: 600, hasThumbnail: true, mime: 'image/png' })
    expect(await filesOnDisk(t.dir)).toContain(
      `${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}.thumb.webp`
    )
    const thumb = await download(t, `/api/files/${file.id}/content?thumb=1`, token)
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/webp')
    const meta = await sharp(thumb.bytes).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 240])
    // A duplicate image reuses the thumbnail and the size learnt the first time.
    const [again] = (await upload(t, [{ bytes: png, name: 'copy.png' }], { token })).body
    expect(again).toMatchObject({ width: 800, height: 600, hasThumbnail: true })
  })

  it('takes several files in one request, in order, and refuses them all if one is bad', async () => {
    const ok = await upload(
      t,
      [
        { bytes: pdfBytes(100, 6), name: '1.pdf' },
        { bytes: await pngBytes(10, 10), name: '2.png' }
      ],
      { token }
    )
    expect(ok.body.map((f: { name: string }) => f.name)).toEqual(['1.pdf', '2.png'])
    const before = await filesOnDisk(t.dir)
    const mixed = await upload(
      t,
      [
        { bytes: pdfBytes(100, 7), name: '3.pdf' },
        { bytes: exeBytes(), name: '4.pdf' }
      ],
      { token }
    )
    expect(mixed.status).toBe(415)
    expect(await filesOnDisk(t.dir)).toEqual(before)
  })

  it('rejects requests that are not uploads', async () => {
    expect((await upload(t, [], { token })).status).toBe(400)
    expect(
      (await t.api('POST', '/api/files', { name: 'x' }, { authorization: `Bearer ${token}` })).status
    ).toBe(400)
    expect((await upload(t, [{ bytes: pdfBytes(100, 8), name: 'a.pdf' }])).status).toBe(401)
  })
})
