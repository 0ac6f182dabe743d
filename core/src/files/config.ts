import { join, resolve } from 'node:path'

/** `files` in config/default.json; every key optional, defaults below. */
export interface FilesConfig {
  /** Where bytes live; null = `<DATA_DIR>/files`. In cluster mode, a shared volume. */
  dir: string | null
  /** Largest accepted file, in bytes (default 50 MB). */
  maxBytes: number
  /** Files in one upload request. */
  maxFiles: number
  /** Accepted content types, by the names below; sniffed from the bytes, never the file name. */
  allow: string[]
  /**
   * Accepted types of an upload sent with `purpose=import` (a sheet to import, attached to no
   * record). `csv` is text without a signature, so it is only ever accepted where listed.
   */
  importAllow: string[]
  /** Lifetime of a signed download URL (`GET /api/files/:id/url`), at most. */
  urlTtlSeconds: number
  /** Longest side of a thumbnail, in pixels. */
  thumbnailSize: number
  /** Images larger than this get no thumbnail during the upload request. */
  thumbnailMaxBytes: number
}

export const FILES_DEFAULTS: FilesConfig = {
  dir: null,
  maxBytes: 50 * 1024 * 1024,
  maxFiles: 20,
  allow: ['jpeg', 'png', 'gif', 'webp', 'pdf', 'docx', 'xlsx', 'doc', 'xls', 'zip'],
  importAllow: ['xlsx', 'csv'],
  urlTtlSeconds: 300,
  thumbnailSize: 320,
  thumbnailMaxBytes: 20 * 1024 * 1024
}

/** The content types the platform knows, by allow-list name; the MIME type we serve is ours, not the client's. */
export const KNOWN_TYPES: Record<string, { mime: string; ext: string }> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  gif: { mime: 'image/gif', ext: 'gif' },
  webp: { mime: 'image/webp', ext: 'webp' },
  pdf: { mime: 'application/pdf', ext: 'pdf' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  doc: { mime: 'application/msword', ext: 'doc' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls' },
  zip: { mime: 'application/zip', ext: 'zip' },
  // Stored with the charset the bytes were read in (see sniff-text.ts).
  csv: { mime: 'text/csv', ext: 'csv' }
}

/** Images sharp can read and that we thumbnail. */
export const IMAGE_MIMES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

/** Merges the configured values over the defaults and resolves the folder. */
export function resolveFilesConfig(
  given: Partial<FilesConfig> | undefined,
  dataDir: string
): FilesConfig & { dir: string } {
  const config = { ...FILES_DEFAULTS, ...(given ?? {}) }
  const unknown = [...config.allow, ...config.importAllow].filter(
    (name) => !KNOWN_TYPES[name === 'jpg' ? 'jpeg' : name]
  )
  if (unknown.length)
    throw new Error(
      `files.allow names unknown types: ${unknown.join(', ')} (known: ${Object.keys(KNOWN_TYPES).join(', ')})`
    )
  if (!(config.maxBytes > 0)) throw new Error('files.maxBytes must be a positive number of bytes')
  const names = (list: string[]) => list.map((n) => (n === 'jpg' ? 'jpeg' : n))
  return {
    ...config,
    allow: names(config.allow),
    importAllow: names(config.importAllow),
    dir: resolve(config.dir ?? join(dataDir, 'files'))
  }
}
