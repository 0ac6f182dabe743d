import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { RetentionPolicy } from './retention.js'

/** `backup` in config/default.json; every key optional, defaults below. */
export interface BackupConfig {
  /** Where full backups go; null = `<DATA_DIR>/backups`. In a cluster: a shared volume (`BACKUP_DIR`). */
  dir: string | null
  /** When the scheduled backup runs (cron, server time zone); empty = no scheduled backup. */
  cron: string
  retention: RetentionPolicy
}

export const BACKUP_DEFAULTS: BackupConfig = {
  dir: null,
  // 02:00: before the nightly purges (03:10 onwards), so a backup still holds what they remove.
  cron: '0 2 * * *',
  retention: { daily: 7, weekly: 4, manual: 5 }
}

export function resolveBackupConfig(
  given: Partial<BackupConfig> | undefined,
  dataDir: string
): BackupConfig & { dir: string } {
  const config = {
    ...BACKUP_DEFAULTS,
    ...(given ?? {}),
    retention: { ...BACKUP_DEFAULTS.retention, ...(given?.retention ?? {}) }
  }
  for (const [key, value] of Object.entries(config.retention)) {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`backup.retention.${key} must be a whole number ≥ 0, got ${String(value)}`)
  }
  if (config.cron && config.cron.trim().split(/\s+/).length !== 5)
    throw new Error(`backup.cron must be a five-field cron expression, got "${config.cron}"`)
  return { ...config, dir: resolve(config.dir ?? join(dataDir, 'backups')) }
}

/** The version written into each manifest (the root package.json's). */
export function appVersion(root: string): string {
  try {
    return (
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    )
  } catch {
    return 'unknown'
  }
}
