import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DefinitionStore } from './store.js'

export interface BackupTrigger {
  kind: string
  key: string
  version: number
}

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups', 'definitions')
}

/**
 * Writes every published definition to one pretty JSON file named after the publish that
 * caused it. Runs inside the publish transaction: if the file cannot be written, nothing is
 * published (every published state has a backup).
 */
export async function writeBackup(
  store: DefinitionStore,
  dataDir: string,
  trigger: BackupTrigger
): Promise<string> {
  const all = await store.allPublished()
  const at = new Date().toISOString()
  const dir = backupDir(dataDir)
  await mkdir(dir, { recursive: true })
  const file = join(
    dir,
    `${at.replace(/[:.]/g, '-')}-${trigger.kind}-${trigger.key}-v${trigger.version}.json`
  )
  const definitions = all.map((d) => ({
    kind: d.kind,
    key: d.key,
    version: d.version,
    publishedAt: d.publishedAt,
    author: d.author,
    comment: d.comment,
    body: d.body
  }))
  await writeFile(file, `${JSON.stringify({ createdAt: at, trigger, definitions }, null, 2)}\n`, {
    flag: 'wx'
  })
  return file
}
