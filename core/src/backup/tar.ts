import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { dirname, join, posix } from 'node:path'
import { Readable } from 'node:stream'

/**
 * A backup travels as one plain POSIX tar (ustar) of its folder: the download streams it
 * without a temporary copy, and `npm run restore -- file.tar` (or GNU tar) unpacks it. Only
 * regular files are written or read; that is all a backup holds.
 */

const BLOCK = 512

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`
}

/** Splits a path into ustar's prefix (≤155) and name (≤100) at a slash. */
function splitName(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path }
  const cut = path.lastIndexOf('/', 155)
  const prefix = path.slice(0, cut)
  const name = path.slice(cut + 1)
  if (cut <= 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
    throw new Error(`path too long for a tar entry: ${path}`)
  return { prefix, name }
}

export function tarHeader(path: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK)
  const { prefix, name } = splitName(path)
  h.write(name, 0, 100, 'utf8')
  h.write(octal(0o644, 8), 100, 'ascii')
  h.write(octal(0, 8), 108, 'ascii')
  h.write(octal(0, 8), 116, 'ascii')
  h.write(octal(size, 12), 124, 'ascii')
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii')
  h.write('        ', 148, 'ascii')
  h.write('0', 156, 'ascii')
  h.write('ustar\u000000', 257, 'ascii')
  h.write(prefix, 345, 155, 'utf8')
  let sum = 0
  for (const byte of h) sum += byte
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii')
  return h
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK)

/** Streams `files` (paths relative to `root`) as a tar whose entries sit under `top/`. */
export function tarStream(
  root: string,
  top: string,
  files: AsyncIterable<string> | Iterable<string>
): Readable {
  return Readable.from(
    (async function* () {
      for await (const rel of files) {
        const path = join(root, rel)
        const info = await stat(path)
        yield tarHeader(posix.join(top, rel.split('\\').join('/')), info.size, info.mtimeMs)
        for await (const chunk of createReadStream(path)) yield chunk as Buffer
        yield padding(info.size)
      }
      yield Buffer.alloc(BLOCK * 2)
    })(),
    { objectMode: false }
  )
}

function readString(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length)
  const end = raw.indexOf(0)
  return raw.subarray(0, end === -1 ? length : end).toString('utf8')
}

function parseHeader(h: Buffer): { path: string; size: number; type: string } | null {
  if (h.every((b) => b === 0)) return null
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]
  if (parseInt(readString(h, 148, 8).trim(), 8) !== sum)
    throw new Error('not a tar file (bad header checksum)')
  const name = readString(h, 0, 100)
  const prefix = readString(h, 345, 155)
  return {
    path: prefix ? `${prefix}/${name}` : name,
    size: parseInt(readString(h, 124, 12).trim() || '0', 8),
    type: readString(h, 156, 1) || '0'
  }
}

async function write(out: WriteStream, chunk: Buffer): Promise<void> {
  if (!out.write(chunk))
    await new Promise<void>((resolve, reject) => {
      out.once('drain', resolve)
      out.once('error', reject)
    })
}

const close = (out: WriteStream) =>
  new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))

/**
 * Unpacks a tar into `dest`, refusing anything that could land outside it. Returns the
 * paths written.
 */
export async function extractTar(file: string, dest: string): Promise<string[]> {
  const written: string[] = []
  let buffer = Buffer.alloc(0)
  let entry: { out: WriteStream | null; left: number; pad: number } | null = null
  for await (const chunk of createReadStream(file)) {
    buffer = Buffer.concat([buffer, chunk as Buffer])
    for (;;) {
      if (entry) {
        const take = Math.min(entry.left, buffer.length)
        if (take && entry.out) await write(entry.out, buffer.subarray(0, take))
        buffer = buffer.subarray(take)
        entry.left -= take
        if (entry.left > 0) break
        if (buffer.length < entry.pad) break
        buffer = buffer.subarray(entry.pad)
        if (entry.out) await close(entry.out)
        entry = null
      }
      if (buffer.length < BLOCK) break
      const header = parseHeader(buffer.subarray(0, BLOCK))
      buffer = buffer.subarray(BLOCK)
      if (!header) continue
      const safe = posix.normalize(header.path)
      if (safe.startsWith('/') || safe.split('/').includes('..'))
        throw new Error(`unsafe path in the tar: ${header.path}`)
      let out: WriteStream | null = null
      if (header.type === '0') {
        const target = join(dest, safe)
        await mkdir(dirname(target), { recursive: true })
        out = createWriteStream(target, { flags: 'wx' })
        written.push(safe)
      }
      entry = { out, left: header.size, pad: (BLOCK - (header.size % BLOCK)) % BLOCK }
    }
  }
  if (entry) throw new Error('the tar file ends in the middle of an entry')
  return written
}
