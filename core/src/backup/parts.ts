import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'

/**
 * A gzip NDJSON part, written line by line with back-pressure: memory holds one batch of
 * lines, never a table. The sha256 covers the bytes on disk.
 */
export class PartWriter {
  readonly #gzip = createGzip({ level: 6 })
  readonly #hash = createHash('sha256')
  #bytes = 0
  #lines = 0
  readonly #done: Promise<void>

  private constructor(path: string) {
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.#hash.update(chunk)
        this.#bytes += chunk.length
        cb(null, chunk)
      }
    })
    this.#done = pipeline(this.#gzip, counter, createWriteStream(path, { flags: 'wx' }))
  }

  static async open(path: string): Promise<PartWriter> {
    await mkdir(dirname(path), { recursive: true })
    return new PartWriter(path)
  }

  /** Appends lines (each one JSON text without a newline). */
  async write(lines: readonly string[]): Promise<void> {
    if (!lines.length) return
    this.#lines += lines.length
    if (this.#gzip.write(`${lines.join('\n')}\n`)) return
    // A failed file write rejects #done; waiting on drain alone would then never end.
    await Promise.race([new Promise<void>((resolve) => this.#gzip.once('drain', resolve)), this.#done])
  }

  async close(): Promise<{ lines: number; bytes: number; sha256: string }> {
    this.#gzip.end()
    await this.#done
    return { lines: this.#lines, bytes: this.#bytes, sha256: this.#hash.digest('hex') }
  }

  /** Ends the streams without keeping the result (a failed or cancelled backup). */
  async abort(): Promise<void> {
    this.#gzip.end()
    await this.#done.catch(() => undefined)
  }
}

/** sha256 and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), bytes }
}

/** Reads a part back in batches of at most `batchLines` lines (or about `batchBytes`). */
export async function* readPart(
  path: string,
  batchLines = 1000,
  batchBytes = 4 << 20
): AsyncGenerator<string[]> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity })
  let batch: string[] = []
  let size = 0
  for await (const line of lines) {
    if (!line) continue
    batch.push(line)
    size += line.length
    if (batch.length >= batchLines || size >= batchBytes) {
      yield batch
      batch = []
      size = 0
    }
  }
  if (batch.length) yield batch
}
