import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FileRow, FileStore } from '../files/store.js'

/** A generated file being written: bytes go through `stream` to a temporary file, hashed on the way. */
export interface Output {
  stream: Transform
  /** Waits for the last byte on disk, then stores the file as the owner's own (not attached to a record). */
  save(): Promise<FileRow>
  /** Drops the temporary file (the job failed). */
  discard(): Promise<void>
}

const UNATTACHED = { collection: null, recordId: null, field: null }

/**
 * Starts a generated file (an export, an import report) for `ownerId`. Stored through the
 * files module like an upload that belongs to no record, it is readable by its owner only
 * (FileAccess.canRead) and downloads with the usual route, Range and signed URLs included.
 */
export async function createOutput(
  store: FileStore,
  name: string,
  mime: string,
  ownerId: string
): Promise<Output> {
  const tempFile = await store.tempPath()
  const hash = createHash('sha256')
  let size = 0
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      size += chunk.length
      done(null, chunk)
    }
  })
  const written = pipeline(stream, createWriteStream(tempFile, { flags: 'wx' }))
  // Awaited in save()/discard(); a failure in between must not be an unhandled rejection.
  written.catch(() => undefined)
  return {
    stream,
    async save() {
      if (!stream.writableEnded) stream.end()
      await written
      return store.save({ tempFile, sha256: hash.digest('hex'), size, name }, mime, null, UNATTACHED, ownerId)
    },
    async discard() {
      stream.destroy()
      await written.catch(() => undefined)
      await rm(tempFile, { force: true })
    }
  }
}

/** `病历_20240301-0830.xlsx`: the collection's label and the local time, no characters a file system refuses. */
export function fileName(label: string, suffix: string, ext: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`
  return `${label.replace(/[\\/:*?"<>|\s]+/g, '_')}${suffix}_${stamp}.${ext}`
}
