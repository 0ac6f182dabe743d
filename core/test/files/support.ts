import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { defineCollection, definePlugin, type DriverName } from '@medaffairs/plugin-sdk'
import sharp from 'sharp'
import { AuditLog } from '../../src/audit/audit-log.js'
import { runMigrations } from '../../src/db/migrations.js'
import { setupFiles, filesMigration, type FilesConfig, type FilesModule } from '../../src/files/index.js'
import { OrgDirectory } from '../../src/identity/org.js'
import { ActorResolver } from '../../src/records/actor.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'

/** A business collection to attach files to (staff reach their own records only). */
export const casesPlugin = definePlugin({
  name: 'casefiles',
  version: '1.0.0',
  collections: [
    defineCollection({
      name: 'cases',
      fields: [
        { name: 'title', type: 'string' },
        { name: 'attachments', type: 'array', items: 'string' }
      ]
    })
  ]
})

export interface FilesServer extends TestServer {
  files: FilesModule
  dir: string
}

/**
 * A test server with the files module. Until core/src/app.ts wires the module (and exposes
 * it as `server.files`), the test installs it the way app.ts will: migration, setup after
 * the plugins, and the recycle-bin follower.
 */
export async function startFilesServer(
  driver: DriverName,
  config: Partial<FilesConfig> = {}
): Promise<FilesServer> {
  const dir = await mkdtemp(join(tmpdir(), 'medaffairs-files-'))
  const t = await startTestServer(driver, [casesPlugin], {
    files: { dir, ...config },
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent'
  })
  const { app, db, registry, logger } = t.server
  let files = (t.server as { files?: FilesModule }).files
  if (!files && app.services.files)
    throw new Error('core/src/app.ts registers the files module: return it as `server.files` for these tests')
  if (!files) {
    await runMigrations(db, 'core', [filesMigration])
    const actors = new ActorResolver(db, new OrgDirectory(db))
    files = await setupFiles(app, {
      db,
      registry,
      logger,
      actors,
      dataDir: dir,
      config: { dir, ...config },
      audit: new AuditLog(db)
    })
    ;(
      app.service('recycle-bin') as unknown as { followers: Array<FilesModule['binListener']> }
    ).followers.push(files.binListener)
  }
  return {
    ...t,
    files,
    dir,
    async close() {
      await files.store.idle()
      await t.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Every file under the storage folder, relative to it (temporary files included). */
export async function filesOnDisk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Bytes that sniff as a PDF, with `size` bytes in all and a seed to make them unique. */
export function pdfBytes(size: number, seed = 1): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% test ${seed}\n`)
  const body = Buffer.alloc(Math.max(0, size - head.length))
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + seed * 7) & 0xff
  return Buffer.concat([head, body]).subarray(0, size)
}

export function pngBytes(width: number, height: number, color = '#cc3333'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer()
}

/** A Windows executable's first bytes (what file-type calls `exe`). */
export function exeBytes(): Buffer {
  const b = Buffer.alloc(512)
  b.write('MZ', 0, 'latin1')
  b.writeUInt32LE(0x80, 0x3c)
  b.write('PE\0\0', 0x80, 'latin1')
  return b
}

export interface UploadOptions {
  token?: string
  fields?: Record<string, string>
}

/** A real multipart upload over HTTP (fields first, like the web component sends them). */
export async function upload(
  t: TestServer,
  parts: Array<{ bytes: Uint8Array; name: string; type?: string }>,
  opts: UploadOptions = {}
) {
  const form = new FormData()
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v)
  for (const p of parts)
    form.append(
      'file',
      new Blob([new Uint8Array(p.bytes)], { type: p.type ?? 'application/octet-stream' }),
      p.name
    )
  const res = await fetch(`${t.url}/api/files`, {
    method: 'POST',
    body: form,
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {}
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** GET with optional token and headers; answers status, headers and the raw bytes. */
export async function download(
  t: TestServer,
  path: string,
  token?: string,
  headers: Record<string, string> = {}
) {
  const res = await fetch(`${t.url}${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }
  })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}
