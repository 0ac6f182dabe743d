import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BadRequest } from '@feathersjs/errors'
import busboy from 'busboy'
import { PayloadTooLarge, tooLarge } from './errors.js'

export interface ReceivedFile {
  /** The bytes, in a temporary file of the storage driver; the caller moves or deletes it. */
  tempFile: string
  sha256: string
  size: number
  /** The name the browser gave, for display and downloads only. */
  name: string
}

export interface ReceiveOptions {
  maxBytes: number
  maxFiles: number
  tempPath(): Promise<string>
  /** Runs once, when the first file part begins, with the fields sent before it (early refusal). */
  beforeFirstFile?(fields: Record<string, string>): Promise<void>
}

const MAX_FIELDS = 10

/** A display name: no folders (old browsers send `C:\…\x.pdf`), no control characters, not too long. */
export function cleanName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? ''
  const name = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200)
  return name || 'file'
}

/** Streams one part to disk, hashing and counting on the way; never holds the file in memory. */
async function writePart(stream: Readable, filename: string, options: ReceiveOptions): Promise<ReceivedFile> {
  const tempFile = await options.tempPath()
  const hash = createHash('sha256')
  let size = 0
  try {
    await pipeline(
      stream,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk)
          size += chunk.length
          yield chunk
        }
      },
      createWriteStream(tempFile, { flags: 'wx' })
    )
    if ((stream as Readable & { truncated?: boolean }).truncated) throw tooLarge(options.maxBytes)
  } catch (error) {
    await rm(tempFile, { force: true })
    throw error
  }
  return { tempFile, sha256: hash.digest('hex'), size, name: cleanName(filename) }
}

/**
 * Reads a multipart/form-data request: every `file` part goes straight to a temporary file
 * (hashed with sha256 and counted), other parts are small text fields. On any failure
 * (size limit, malformed body, client gone) every temporary file is deleted before the
 * error is thrown, and the rest of the request body is drained unread.
 */
export async function receiveUpload(
  req: IncomingMessage,
  options: ReceiveOptions
): Promise<{ files: ReceivedFile[]; fields: Record<string, string> }> {
  let parser: busboy.Busboy
  try {
    // busboy calls a file that reaches `fileSize` truncated: one byte more lets exactly maxBytes through.
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { fileSize: options.maxBytes + 1, files: options.maxFiles, fields: MAX_FIELDS, fieldSize: 1024 }
    })
  } catch {
    throw new BadRequest('请以 multipart/form-data 上传文件 (upload with multipart/form-data)')
  }
  const files: Array<ReceivedFile & { index: number }> = []
  const fields: Record<string, string> = {}
  const writes: Promise<void>[] = []
  const active = new Set<Readable>()
  let failure: Error | undefined
  let gate: Promise<void> | undefined
  let settle!: (error?: Error) => void
  const done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())))
  const fail = (error: Error) => {
    if (failure) return
    failure = error
    req.unpipe(parser)
    req.resume()
    for (const s of active) s.destroy(error)
    settle(error)
  }
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new BadRequest(`字段 ${name} 过长 (field ${name} is too long)`))
    else fields[name] = value
  })
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || failure) return void stream.resume()
    const index = writes.length
    active.add(stream)
    // The stream may be destroyed before writePart pipes it (refused early): no uncaught 'error'.
    stream.on('error', () => undefined)
    // busboy stops at the limit and would end the stream quietly: make it an error instead.
    stream.on('limit', () => stream.destroy(tooLarge(options.maxBytes)))
    gate ??= options.beforeFirstFile?.({ ...fields }) ?? Promise.resolve()
    const write = gate.then(() => writePart(stream, info.filename, options))
    writes.push(
      write.then((f) => void files.push({ ...f, index }), fail).finally(() => active.delete(stream))
    )
  })
  parser.on('filesLimit', () =>
    fail(
      new PayloadTooLarge(
        `一次最多上传 ${options.maxFiles} 个文件 (at most ${options.maxFiles} files per upload)`
      )
    )
  )
  parser.on('fieldsLimit', () => fail(new BadRequest('表单字段过多 (too many form fields)')))
  parser.on('error', () => fail(new BadRequest('上传内容不完整或格式错误 (incomplete or malformed upload)')))
  parser.on('close', () => settle())
  // A client that goes away mid-upload never ends the body: without this the parser would wait forever.
  req.once('close', () => req.complete || fail(new BadRequest('上传被中断 (upload interrupted)')))
  req.pipe(parser)
  await done.catch(() => undefined)
  await Promise.allSettled(writes)
  if (failure) {
    await Promise.all(files.map((f) => rm(f.tempFile, { force: true })))
    throw failure
  }
  return { files: files.sort((a, b) => a.index - b.index).map(({ index: _i, ...f }) => f), fields }
}
