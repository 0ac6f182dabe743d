import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { BackupSummary } from '@medaffairs/plugin-sdk'
import { isBackupId, type Manifest } from './format.js'
import { readManifest } from './verify.js'

export type { BackupSummary } from '@medaffairs/plugin-sdk'

export function summarize(m: Manifest): BackupSummary {
  return {
    id: m.id,
    kind: m.kind,
    createdAt: m.createdAt,
    seconds: m.seconds,
    bytes: m.bytes,
    tables: m.tables.length,
    rows: m.tables.reduce((sum, t) => sum + t.rows, 0),
    files: m.files.count,
    missingFiles: m.files.missing.length,
    migrations: m.migrations.length
  }
}

/** The finished backups in `root`, newest first; folders that are not readable backups are skipped. */
export async function listBackups(root: string): Promise<BackupSummary[]> {
  const names = await readdir(root).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[]
    throw e
  })
  const out: BackupSummary[] = []
  for (const name of names.filter(isBackupId)) {
    const manifest = await readManifest(join(root, name)).catch(() => null)
    if (manifest && manifest.id === name) out.push(summarize(manifest))
  }
  return out.sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id)
  )
}

export async function removeBackup(root: string, id: string): Promise<void> {
  if (!isBackupId(id)) throw new Error(`not a backup id: ${id}`)
  await rm(join(root, id), { recursive: true, force: true })
}
