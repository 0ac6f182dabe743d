import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { definePlugin } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../tests/support/server.js'
import { bearer, createUser, login } from '../../tests/support/auth.js'

// A plugin with a plain service, so this file tests the server without the storage layer.
let slowRelease: (() => void) | undefined
const probe = definePlugin({
  name: 'probe',
  version: '1.0.0',
  i18n: { 'zh-CN': { 'probe.title': '探针' }, 'en-US': { 'probe.title': 'Probe' } },
  menu: [{ path: '/probe', label: { 'zh-CN': '探针', 'en-US': 'Probe' } }],
  services: [
    {
      path: 'probe',
      create: () => ({
        async find() {
          return [{ ok: true }]
        },
        async get(id: string) {
          if (id === 'slow') await new Promise<void>((r) => (slowRelease = r))
          if (id === 'boom') throw new Error('SELECT secret FROM internals')
          return { id }
        }
      })
    }
  ]
})
const dependent = definePlugin({ name: 'dependent', version: '1.0.0', requires: ['probe'] })

describe.each(DRIVERS)('server on %s', (driver) => {
  let t: TestServer
  const appDir = mkdtempSync(join(tmpdir(), 'medaffairs-app-'))
  beforeAll(async () => {
    mkdirSync(join(appDir, '_app'), { recursive: true })
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>MedAffairs</title>')
    writeFileSync(join(appDir, '_app', 'x.js'), 'console.log(1)')
    // What the app build's precompress step writes next to every asset.
    writeFileSync(join(appDir, '_app', 'x.js.gz'), gzipSync('console.log(1)'))
    writeFileSync(join(appDir, '_app', 'x.js.br'), brotliCompressSync('console.log(1)'))
    writeFileSync(join(appDir, '_app', 'plain.js'), 'console.log(2)')
    t = await startTestServer(driver, [probe, dependent], {
      appDir,
      admission: { maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 5000 }
    })
    await createUser(t.server, { username: 'admin1', roles: ['system_admin'] })
    await createUser(t.server, { username: 'plain1', roles: ['staff'] })
    admin = bearer(await login(t, 'admin1'))
    plain = bearer(await login(t, 'plain1'))
  })
  let admin: Record<string, string>
  let plain: Record<string, string>
  afterAll(async () => {
    await t.close()
    rmSync(appDir, { recursive: true, force: true })
  })

  it('answers liveness and readiness under /api', async () => {
    expect((await t.api('GET', '/api/health')).body.status).toBe('ok')
    const ready = await t.api('GET', '/api/ready')
    expect(ready.status).toBe(200)
    expect(ready.body.driver).toBe(driver)
  })

  it('serves services under /api only, and the web app with SPA fallback elsewhere', async () => {
    expect((await t.api('GET', '/api/probe')).body).toEqual([{ ok: true }])
    expect((await t.api('GET', '/api/nothing-here')).status).toBe(404)
    const page = await fetch(`${t.url}/dictionaries/title_series`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>MedAffairs</title>')
    const asset = await fetch(`${t.url}/_app/x.js`)
    expect(await asset.text()).toBe('console.log(1)')
    expect((await fetch(`${t.url}/../../etc/passwd`)).status).toBe(200) // normalized to the SPA, never a file outside
    expect(await (await fetch(`${t.url}/%2e%2e/%2e%2e/etc/passwd`)).text()).toContain('MedAffairs')
  })

  it('sends a precompressed asset in the encoding the browser accepts, the plain file otherwise', async () => {
    const get = (path: string, encoding: string) =>
      fetch(`${t.url}${path}`, { headers: { 'accept-encoding': encoding } })
    const gz = await get('/_app/x.js', 'gzip, deflate')
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('content-type')).toMatch(/javascript/)
    expect(gz.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(await gz.text()).toBe('console.log(1)')
    const br = await get('/_app/x.js', 'gzip, deflate, br')
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(await br.text()).toBe('console.log(1)')
    const identity = await get('/_app/x.js', 'identity')
    expect(identity.headers.get('content-encoding')).toBeNull()
    expect(await identity.text()).toBe('console.log(1)')
    // No compressed copy on disk: the file itself, never a failure.
    const plain = await get('/_app/plain.js', 'gzip')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe('console.log(2)')
  })

  it('answers a malformed JSON body with 400, not 500', async () => {
    const res = await fetch(`${t.url}/api/plugins/probe`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...admin },
      body: '{"enabled": tru'
    })
    expect(res.status).toBe(400)
  })

  it('hides unexpected errors behind a request id', async () => {
    const res = await t.api('GET', '/api/probe/boom')
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.body)).not.toContain('SELECT')
    expect(res.body.data.requestId).toMatch(/[0-9a-f-]{36}/)
  })

  it('serves the same services over socket.io', async () => {
    const socket = io(t.url, { transports: ['websocket'] })
    const result = await new Promise((resolve, reject) => {
      socket.emit('get', 'probe', 'abc', {}, (err: unknown, data: unknown) =>
        err ? reject(err) : resolve(data)
      )
    })
    socket.close()
    expect(result).toEqual({ id: 'abc' })
  })

  it('queues past the concurrency limit and refuses with 503 and Retry-After when the queue is full', async () => {
    const first = t.api('GET', '/api/probe/slow')
    await new Promise((r) => setTimeout(r, 100))
    const queued = t.api('GET', '/api/probe/queued')
    await new Promise((r) => setTimeout(r, 100))
    const refused = await fetch(`${t.url}/api/probe/refused`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('2')
    slowRelease!()
    expect((await first).body).toEqual({ id: 'slow' })
    expect((await queued).body).toEqual({ id: 'queued' })
  })

  it('serves a manifest of enabled plugins with their menus and messages', async () => {
    const { body } = await t.api('GET', '/api/manifest')
    const names = body.plugins.map((p: { name: string }) => p.name)
    expect(names).toEqual(expect.arrayContaining(['probe', 'dependent']))
    expect(body.plugins.find((p: any) => p.name === 'probe').menu[0].path).toBe('/probe')
    expect(body.messages['zh-CN']['probe.title']).toBe('探针')
  })

  it('lets only the system administrator toggle plugins', async () => {
    expect((await t.api('PATCH', '/api/plugins/dependent', { enabled: false })).status).toBe(401)
    expect((await t.api('PATCH', '/api/plugins/dependent', { enabled: false }, plain)).status).toBe(403)
    expect((await t.api('GET', '/api/plugins')).status).toBe(401)
    expect((await t.api('GET', '/api/plugins', undefined, plain)).status).toBe(200)
    expect((await t.api('GET', '/api/plugins/dependent', undefined, admin)).body.enabled).toBe(true)
  })

  it('disables and enables a plugin at run time, keeping its data, and guards dependencies', async () => {
    const patch = (name: string, body: unknown) => t.api('PATCH', `/api/plugins/${name}`, body, admin)
    const refused = await patch('probe', { enabled: false })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toContain('dependent')
    expect((await patch('dependent', { enabled: false })).body.enabled).toBe(false)
    expect((await patch('probe', { enabled: false })).body.enabled).toBe(false)
    expect((await t.api('GET', '/api/probe/x')).status).toBe(404)
    const manifest = (await t.api('GET', '/api/manifest')).body
    expect(manifest.plugins.find((p: any) => p.name === 'probe').menu).toEqual([])
    expect(manifest.messages['zh-CN']['probe.title']).toBeUndefined()
    const state = await t.server.db.query('SELECT enabled FROM _plugins WHERE name = $1', ['probe'])
    expect(state.rows[0].enabled).toBe(false)
    expect((await patch('dependent', { enabled: true })).status).toBe(400)
    expect((await patch('probe', { enabled: true })).body.enabled).toBe(true)
    expect((await t.api('GET', '/api/probe/x')).body).toEqual({ id: 'x' })
    expect((await patch('probe', { enabled: 'yes' })).body.errors[0].field).toBe('enabled')
    expect((await patch('ghost', { enabled: true })).status).toBe(404)
    expect((await patch('identity', { enabled: false })).status).toBe(400)
  })

  it('shuts down gracefully: readiness fails, then the port closes', async () => {
    // Covered last: a second server so the one above stays up for the other tests.
    const other = await startTestServer(driver, [probe])
    const closing = other.close()
    await closing
    await expect(fetch(`${other.url}/api/health`)).rejects.toThrow()
  })
})
