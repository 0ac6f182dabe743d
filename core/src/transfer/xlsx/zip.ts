import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib'
import {
  strToU8,
  Zip,
  ZipDeflate,
  type AsyncFlateStreamHandler,
  type FlateError,
  type ZipInputFile
} from 'fflate'

/** fflate writes no Zip64 records: past 4 GiB an entry's sizes would wrap and the file break. */
const MAX_ENTRY_BYTES = 0xffff_ffff
/** Text is handed to zlib in pieces of this many bytes (one thread-pool job each). */
const PIECE_BYTES = 256 * 1024
const EMPTY = new Uint8Array(0)

/**
 * A zip entry written as text and deflated by Node's zlib: native, and on the thread pool, so
 * compressing overlaps rendering the next rows (fflate's own deflate is JavaScript on the main
 * thread, about six times slower at level 1). fflate's Zip frames it as it frames its own
 * entries (sizes and CRC in a data descriptor after the data).
 *
 * Text is copied into a buffer as it comes rather than joined into one long string first: a
 * page of rows held as strings outlives the young generation and costs the garbage collector
 * more than rendering it (half the time of a page, measured).
 */
export class TextEntry implements ZipInputFile {
  readonly compression = 8
  size = 0
  crc = 0
  ondata?: AsyncFlateStreamHandler
  private readonly deflate: DeflateRaw
  private piece = Buffer.allocUnsafe(PIECE_BYTES)
  private used = 0
  private full = false

  constructor(
    readonly filename: string,
    level: number,
    private readonly ready: () => Promise<void>
  ) {
    this.deflate = createDeflateRaw({ level })
    this.deflate.on('data', (chunk: Buffer) => this.ondata?.(null, chunk as Uint8Array<ArrayBuffer>, false))
    this.deflate.on('end', () => this.ondata?.(null, EMPTY, true))
    this.deflate.on('error', (error: Error) =>
      this.ondata?.(Object.assign(error, { code: -1 }) as FlateError, EMPTY, true)
    )
  }

  /** Adds text; whole pieces go to zlib at once (see drained()). */
  append(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > PIECE_BYTES) {
      this.flush()
      if (text.length * 3 > PIECE_BYTES) return this.send(Buffer.from(text, 'utf8'))
    }
    this.used += this.piece.write(text, this.used, 'utf8')
  }

  /** Resolves when zlib and the stream behind the zip can take more. */
  async drained(): Promise<void> {
    if (this.full) await once(this.deflate, 'drain')
    this.full = false
    await this.ready()
  }

  end(): void {
    this.flush()
    this.deflate.end()
  }

  private flush(): void {
    if (!this.used) return
    // zlib reads the piece later, on its thread: the next text goes to a new one.
    const bytes = this.piece.subarray(0, this.used)
    this.piece = Buffer.allocUnsafe(PIECE_BYTES)
    this.used = 0
    this.send(bytes)
  }

  private send(bytes: Buffer): void {
    this.size += bytes.length
    if (this.size > MAX_ENTRY_BYTES)
      throw new Error(`${this.filename} is larger than 4 GiB, which a zip without Zip64 cannot hold`)
    this.crc = crc32(bytes, this.crc)
    if (!this.deflate.write(bytes)) this.full = true
  }
}

/**
 * A zip archive streamed into `out`: entries one after the other, nothing kept but the
 * central directory (a few dozen bytes per entry). Ends `out` after the last byte.
 */
export class ZipStream {
  private readonly zip: Zip
  private failure: Error | undefined
  private readonly ended: Promise<void>

  constructor(private readonly out: Writable) {
    let resolve!: () => void
    let reject!: (error: Error) => void
    this.ended = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)))
    // Awaited in finish(); a failure before then must not be an unhandled rejection.
    this.ended.catch(() => undefined)
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        this.failure = error
        reject(error)
        return
      }
      if (chunk.length) out.write(chunk)
      if (final) {
        out.end()
        resolve()
      }
    })
  }

  /** A small file, whole (fflate's deflate: it is done before the call returns). */
  addFile(name: string, text: string): void {
    const file = new ZipDeflate(name, { level: 6 })
    this.zip.add(file)
    file.push(strToU8(text), true)
  }

  /** An entry written piece by piece; the entries added before it must have ended. */
  openEntry(name: string, level: number): TextEntry {
    const entry = new TextEntry(name, level, () => this.ready())
    this.zip.add(entry)
    return entry
  }

  /** Resolves when `out` can take more; rejects once the archive has failed. */
  async ready(): Promise<void> {
    if (this.failure) throw this.failure
    if (this.out.writableNeedDrain) await once(this.out, 'drain')
  }

  /** Ends the archive after its last entry; resolves when `out` has taken every byte. */
  async finish(): Promise<void> {
    this.zip.end()
    await this.ended
    await finished(this.out, { readable: false })
  }
}
