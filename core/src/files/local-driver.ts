import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { StorageDriver } from '@medaffairs/plugin-sdk'

/**
 * A driver that can take over a finished temporary file without copying it. Uploads are
 * written to `tempPath()` while hashed, and the key (the sha256) is known only at the end.
 */
export interface AdoptingDriver extends StorageDriver {
  tempPath(): Promise<string>
  adopt(key: string, tempFile: string): Promise<void>
}

export function canAdopt(driver: StorageDriver): driver is AdoptingDriver {
  const d = driver as Partial<AdoptingDriver>
  return typeof d.adopt === 'function' && typeof d.tempPath === 'function'
}

// sha256 hex, optionally with a variant suffix (`<sha>.thumb.webp`): nothing that could climb out.
const KEY = /^[0-9a-f]{64}(\.[a-z0-9]+)*$/

/**
 * Files in a local folder (or a shared volume in cluster mode), fanned out as
 * `<root>/<sha[0:2]>/<sha[2:4]>/<key>` so no folder grows huge. Every write lands in
 * `<root>/.tmp` first and is renamed into place: a reader never sees half a file, and two
 * instances writing the same content just rename the same bytes over each other.
 */
export class LocalStorageDriver implements AdoptingDriver {
  readonly tempDir: string

  constructor(readonly root: string) {
    this.tempDir = join(root, '.tmp')
  }

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`Invalid storage key "${key}"`)
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key)
  }

  async tempPath(): Promise<string> {
    await mkdir(this.tempDir, { recursive: true })
    return join(this.tempDir, `${randomUUID()}.part`)
  }

  async adopt(key: string, tempFile: string): Promise<void> {
    const target = this.pathOf(key)
    await mkdir(join(target, '..'), { recursive: true })
    await rename(tempFile, target)
  }

  async put(key: string, source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): Promise<void> {
    const temp = await this.tempPath()
    try {
      await pipeline(source as Readable, createWriteStream(temp, { flags: 'wx' }))
      await this.adopt(key, temp)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<NodeJS.ReadableStream> {
    const path = this.pathOf(key)
    await stat(path) // fail here with ENOENT rather than later inside the response stream
    return createReadStream(path, range ? { start: range.start, end: range.end } : {})
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      (s) => s.isFile(),
      () => false
    )
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
  }

  async size(key: string): Promise<number> {
    return (await stat(this.pathOf(key))).size
  }
}
