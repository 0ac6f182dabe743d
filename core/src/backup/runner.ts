import type { Db } from '@medaffairs/plugin-sdk'
import { createBackup } from './create.js'
import type { Progress } from './dump.js'
import type { BackupKind, Manifest } from './format.js'
import { planRetention, type RetentionPolicy } from './retention.js'
import { listBackups, removeBackup } from './store.js'

export interface BackupRunnerOptions {
  db: Db
  root: string
  filesDir: string
  retention: RetentionPolicy
  appVersion: string
}

/** Takes a backup, then applies retention to the folder: what the job and `npm run backup` do. */
export class BackupRunner {
  constructor(readonly options: BackupRunnerOptions) {}

  async run(
    kind: BackupKind,
    progress?: Progress,
    signal?: AbortSignal,
    now?: Date
  ): Promise<{ manifest: Manifest; pruned: string[] }> {
    const { db, root, filesDir, appVersion } = this.options
    const manifest = await createBackup({ db, root, filesDir, kind, appVersion, progress, signal, now })
    return { manifest, pruned: await this.prune() }
  }

  /** Removes the backups the retention policy no longer keeps; returns their ids. */
  async prune(): Promise<string[]> {
    const { prune } = planRetention(await listBackups(this.options.root), this.options.retention)
    for (const id of prune) await removeBackup(this.options.root, id)
    return prune
  }
}
