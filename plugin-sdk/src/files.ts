/**
 * A stored file, content-addressed by sha256 (same bytes are stored once), as core's `files`
 * service answers it; the web app's file components use this same type.
 */
export interface FileRecord {
  id: string
  sha256: string
  name: string
  size: number
  /** Sniffed from the bytes, never taken from the file name. */
  mime: string
  /** The record the file belongs to (permission checks go through it). */
  collection?: string | null
  recordId?: string | null
  field?: string | null
  width?: number | null
  height?: number | null
  hasThumbnail?: boolean
  /** Who uploaded it and when, set by core when it stores the file. */
  createdBy?: string | null
  createdAt?: string
}

/** Where file bytes live: a local folder by default, a shared volume in cluster mode. */
export interface StorageDriver {
  put(key: string, source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): Promise<void>
  get(key: string, range?: { start: number; end: number }): Promise<NodeJS.ReadableStream>
  exists(key: string): Promise<boolean>
  remove(key: string): Promise<void>
  size(key: string): Promise<number>
}
