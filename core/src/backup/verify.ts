import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { backupFileEntries } from './files-copy.js'
import { FILES_LIST, filePath, FORMAT, FORMAT_VERSION, MANIFEST, type Manifest } from './format.js'
import { hashFile } from './parts.js'

export class BackupInvalidError extends Error {
  constructor(readonly problems: string[]) {
    super(`备份校验失败 (the backup failed verification):\n  ${problems.join('\n  ')}`)
    this.name = 'BackupInvalidError'
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  let manifest: Manifest
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest
  } catch (error) {
    throw new BackupInvalidError([`${MANIFEST}: ${(error as Error).message}`])
  }
  if (manifest.format !== FORMAT) throw new BackupInvalidError([`${MANIFEST}: not a MedAffairs backup`])
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new BackupInvalidError([
      `${MANIFEST}: format version ${manifest.formatVersion}; this version reads ${FORMAT_VERSION}`
    ])
  }
  return manifest
}

/** sha256 of the gzip bytes and the number of lines inside, in one read. */
async function hashAndCount(path: string): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256')
  let lines = 0
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk)
      cb(null, chunk)
    }
  })
  const counter = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
      cb()
    }
  })
  await pipeline(createReadStream(path), tap, createGunzip(), counter)
  return { sha256: hash.digest('hex'), lines }
}

export type VerifyProgress = (done: number, total: number, what: string) => void

/**
 * Checks every part against the manifest (sha256, row counts) and every blob against its
 * recorded hash and size. Throws BackupInvalidError listing each problem.
 */
export async function verifyBackup(
  dir: string,
  progress: VerifyProgress = () => undefined
): Promise<Manifest> {
  const manifest = await readManifest(dir)
  const problems: string[] = []
  const total = manifest.tables.length + manifest.files.count
  let done = 0
  for (const t of manifest.tables) {
    const got = await hashAndCount(join(dir, t.part)).catch((e: Error) => ({ error: e.message }))
    if ('error' in got) problems.push(`${t.part}: ${got.error}`)
    else if (got.sha256 !== t.sha256) problems.push(`${t.part}: sha256 differs from the manifest`)
    else if (got.lines !== t.rows) problems.push(`${t.part}: ${got.lines} rows, the manifest says ${t.rows}`)
    progress(++done, total, t.table)
  }
  const list = await hashFile(join(dir, FILES_LIST)).catch(() => null)
  if (!list || list.sha256 !== manifest.files.sha256) {
    problems.push(`${FILES_LIST}: ${list ? 'sha256 differs from the manifest' : 'missing'}`)
    throw new BackupInvalidError(problems)
  }
  for await (const entries of backupFileEntries(dir)) {
    for (const e of entries) {
      const got = await hashFile(join(dir, filePath(e.key))).catch(() => null)
      if (!got) problems.push(`${filePath(e.key)}: missing`)
      else if (got.sha256 !== e.sha256 || got.bytes !== e.size)
        problems.push(`${filePath(e.key)}: content differs from the list`)
      progress(++done, total, 'files')
    }
  }
  if (problems.length) throw new BackupInvalidError(problems)
  return manifest
}
