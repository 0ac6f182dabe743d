import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, link, mkdir, readdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { FILES_LIST, filePath } from './format.js'
import { PartWriter, hashFile, readPart } from './parts.js'

/** A blob key of the files store: a sha256, optionally with a variant suffix (thumbnails). */
const KEY = /^[0-9a-f]{64}(\.[a-z0-9]+)*$/
const SHA_KEY = /^[0-9a-f]{64}$/

export interface FileEntry {
  key: string
  size: number
  sha256: string
}

/** Every blob under the files store's root, laid out `<aa>/<bb>/<key>` (`.tmp` is skipped). */
export async function listBlobs(root: string): Promise<string[]> {
  const keys: string[] = []
  const level = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return []
      throw e
    })
    for (const e of entries) {
      if (depth < 2 && e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name))
        await level(join(dir, e.name), depth + 1)
      else if (depth === 2 && e.isFile() && KEY.test(e.name)) keys.push(e.name)
    }
  }
  await level(root, 0)
  return keys.sort()
}

/** Copies a file while hashing it; the copy is written whole or not at all. */
async function copyHashing(from: string, to: string): Promise<FileEntry['sha256']> {
  const hash = createHash('sha256')
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk)
      cb(null, chunk)
    }
  })
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx' }))
  return hash.digest('hex')
}

/**
 * Blobs never change (their name is their content's hash), so one already in the previous
 * backup is hard-linked instead of copied: every backup is complete on its own, and a
 * nightly backup of an unchanged store costs no space for its files.
 */
async function linkOrCopy(
  key: string,
  source: string,
  target: string,
  previous: string | undefined
): Promise<{ sha256: string; linked: boolean }> {
  if (previous) {
    const before = await stat(previous).catch(() => null)
    const now = await stat(source).catch(() => null)
    if (before && now && before.size === now.size) {
      const linked = await link(previous, target).then(
        () => true,
        () => false
      )
      if (linked) return { sha256: SHA_KEY.test(key) ? key : (await hashFile(target)).sha256, linked: true }
    }
  }
  return { sha256: await copyHashing(source, target), linked: false }
}

export interface CopyResult {
  count: number
  bytes: number
  linked: number
  sha256: string
  missing: string[]
}

/** Copies the files store into `<backup>/files`, listing each blob in files.ndjson.gz. */
export async function backupFiles(
  storeRoot: string,
  backupDir: string,
  previousBackup: string | undefined,
  progress: (done: number, total: number) => void,
  signal?: AbortSignal
): Promise<CopyResult> {
  const keys = await listBlobs(storeRoot)
  const list = await PartWriter.open(join(backupDir, FILES_LIST))
  const result = { count: 0, bytes: 0, linked: 0, missing: [] as string[] }
  try {
    for (const key of keys) {
      signal?.throwIfAborted()
      const source = join(storeRoot, key.slice(0, 2), key.slice(2, 4), key)
      const target = join(backupDir, filePath(key))
      await mkdir(dirname(target), { recursive: true })
      const size = await stat(source).then(
        (s) => s.size,
        () => -1
      )
      // Purged since it was listed: the snapshot may still name it (see README).
      if (size < 0) {
        result.missing.push(key)
        continue
      }
      const { sha256, linked } = await linkOrCopy(
        key,
        source,
        target,
        previousBackup && join(previousBackup, filePath(key))
      )
      await list.write([JSON.stringify({ key, size, sha256 } satisfies FileEntry)])
      result.count++
      result.bytes += size
      if (linked) result.linked++
      progress(result.count, keys.length)
    }
  } catch (error) {
    await list.abort()
    throw error
  }
  const closed = await list.close()
  return { ...result, sha256: closed.sha256 }
}

/** The blobs a backup lists, in batches. */
export async function* backupFileEntries(backupDir: string): AsyncGenerator<FileEntry[]> {
  for await (const lines of readPart(join(backupDir, FILES_LIST)))
    yield lines.map((l) => JSON.parse(l) as FileEntry)
}

/** Puts a backup's blobs into a files store (an empty one: see restore.ts). */
export async function restoreFiles(
  backupDir: string,
  storeRoot: string,
  progress: (done: number) => void
): Promise<{ count: number; bytes: number }> {
  let count = 0
  let bytes = 0
  for await (const entries of backupFileEntries(backupDir)) {
    for (const e of entries) {
      const target = join(storeRoot, e.key.slice(0, 2), e.key.slice(2, 4), e.key)
      await mkdir(dirname(target), { recursive: true })
      await copyFile(join(backupDir, filePath(e.key)), target)
      count++
      bytes += e.size
      progress(count)
    }
  }
  return { count, bytes }
}
