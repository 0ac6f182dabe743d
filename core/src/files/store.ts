import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db, FileRecord, Queryable, StorageDriver } from '@medaffairs/plugin-sdk'
import { uuidv7 } from '../storage/ids.js'
import { canAdopt } from './local-driver.js'
import type { ReceivedFile } from './receive.js'

/** A file as the service answers: the contract's record plus who uploaded it and when. */
export interface FileRow extends FileRecord {
  createdBy: string | null
  createdAt: string
  deletedAt: string | null
}

export interface FileTarget {
  collection: string | null
  recordId: string | null
  field: string | null
}

export interface ImageInfo {
  width: number | null
  height: number | null
  thumbnail: string | null
}

const COLUMNS =
  'id, sha256, name, size, mime, collection, record_id, field, width, height, has_thumbnail, created_by, created_at, deleted_at'
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString())

function toFile(r: Record<string, any>): FileRow {
  return {
    id: r.id,
    sha256: r.sha256,
    name: r.name,
    size: Number(r.size),
    mime: r.mime,
    collection: r.collection,
    recordId: r.record_id,
    field: r.field,
    width: r.width,
    height: r.height,
    hasThumbnail: r.has_thumbnail,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    deletedAt: iso(r.deleted_at)
  }
}

export const thumbKey = (sha: string) => `${sha}.thumb.webp`
const lockKey = (sha: string) => `medaffairs:files:${sha}`

/**
 * Files follow their record into the recycle bin and back: marks (or clears) `deleted_at`
 * on the files of those records. Runs in the caller's transaction.
 */
export async function setFilesDeleted(
  db: Queryable,
  collection: string,
  recordIds: string[],
  deleted: boolean
): Promise<number> {
  if (!recordIds.length) return 0
  const sql = deleted
    ? 'UPDATE _files SET deleted_at = now() WHERE collection = $1 AND record_id = ANY($2::text[]) AND deleted_at IS NULL'
    : 'UPDATE _files SET deleted_at = NULL WHERE collection = $1 AND record_id = ANY($2::text[]) AND deleted_at IS NOT NULL'
  return (await db.query(sql, [collection, recordIds])).rowCount
}

/**
 * The `_files` rows and the blobs behind them. A blob is keyed by its sha256 and stored
 * once however many rows point at it; it is removed only when the last row goes. Writers
 * and purgers of one sha256 take the same advisory lock, so an upload can never lose its
 * bytes to a concurrent purge.
 */
export class FileStore {
  // Blob removal must wait for the purging transaction to commit; work started from here
  // runs outside any caller's transaction (captured while none is open, at setup).
  readonly #outside = AsyncLocalStorage.snapshot()
  readonly #pending = new Set<Promise<void>>()

  constructor(
    private readonly db: Db,
    readonly driver: StorageDriver,
    private readonly onError: (error: unknown) => void = () => undefined
  ) {}

  /** Where an upload is written while it arrives: next to the blobs when the driver can adopt it. */
  tempPath(): Promise<string> {
    return canAdopt(this.driver)
      ? this.driver.tempPath()
      : Promise.resolve(join(tmpdir(), `medaffairs-${randomUUID()}.part`))
  }

  async byId(id: string): Promise<FileRow | null> {
    const { rows } = await this.db.query(`SELECT ${COLUMNS} FROM _files WHERE id = $1`, [id])
    return rows[0] ? toFile(rows[0]) : null
  }

  async ofRecord(collection: string, recordId: string, field?: string): Promise<FileRow[]> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM _files WHERE collection = $1 AND record_id = $2 AND ($3::text IS NULL OR field = $3) AND deleted_at IS NULL ORDER BY created_at, id LIMIT 500`,
      [collection, recordId, field ?? null]
    )
    return rows.map(toFile)
  }

  /** The uploader's files not attached to any record yet. */
  async pendingOf(userId: string): Promise<FileRow[]> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM _files WHERE created_by = $1 AND record_id IS NULL ORDER BY created_at DESC LIMIT 200`,
      [userId]
    )
    return rows.map(toFile)
  }

  /** What an earlier upload of the same bytes learnt, so a duplicate image is not decoded again. */
  async knownImage(sha: string): Promise<ImageInfo | null> {
    const { rows } = await this.db.query(
      'SELECT width, height FROM _files WHERE sha256 = $1 AND has_thumbnail LIMIT 1',
      [sha]
    )
    if (!rows[0] || !(await this.driver.exists(thumbKey(sha)))) return null
    return { width: rows[0].width, height: rows[0].height, thumbnail: null }
  }

  /** Stores the blob (unless the same bytes are already there) and records the upload. */
  async save(
    upload: ReceivedFile,
    mime: string,
    image: ImageInfo | null,
    target: FileTarget,
    createdBy: string
  ): Promise<FileRow> {
    const sha = upload.sha256
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(sha)])
        await this.#keep(sha, upload.tempFile)
        if (image?.thumbnail) await this.#keep(thumbKey(sha), image.thumbnail)
        const hasThumbnail =
          !!image && (image.thumbnail !== null || (await this.driver.exists(thumbKey(sha))))
        const { rows } = await tx.query(
          `INSERT INTO _files (id, sha256, name, size, mime, collection, record_id, field, width, height, has_thumbnail, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
          [
            uuidv7(),
            sha,
            upload.name,
            upload.size,
            mime,
            target.collection,
            target.recordId,
            target.field,
            image?.width ?? null,
            image?.height ?? null,
            hasThumbnail,
            createdBy
          ]
        )
        return toFile(rows[0])
      })
    } finally {
      await rm(upload.tempFile, { force: true })
      if (image?.thumbnail) await rm(image.thumbnail, { force: true })
    }
  }

  async #keep(key: string, tempFile: string): Promise<void> {
    if (await this.driver.exists(key)) return
    if (canAdopt(this.driver)) await this.driver.adopt(key, tempFile)
    else await this.driver.put(key, createReadStream(tempFile))
  }

  async attach(id: string, target: FileTarget): Promise<FileRow> {
    const { rows } = await this.db.query(
      `UPDATE _files SET collection = $2, record_id = $3, field = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, target.collection, target.recordId, target.field]
    )
    return toFile(rows[0])
  }

  /** Deletes rows for good; their blobs go once nothing else points at them. */
  async removeWhere(where: string, params: unknown[]): Promise<FileRow[]> {
    const removed = await this.db.transaction(async (tx) => {
      // Lock in a stable order so two purges of overlapping files cannot deadlock.
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('${lockKey('')}' || sha256)) FROM (SELECT DISTINCT sha256 FROM _files WHERE ${where} ORDER BY 1) s`,
        params
      )
      const { rows } = await tx.query(`DELETE FROM _files WHERE ${where} RETURNING ${COLUMNS}`, params)
      return rows.map(toFile)
    })
    await this.#sweep(removed.map((f) => f.sha256))
    return removed
  }

  remove(id: string): Promise<FileRow[]> {
    return this.removeWhere('id = $1', [id])
  }

  /** The recycle bin purged these records: their files go too. */
  purgeRecords(collection: string, recordIds: string[]): Promise<FileRow[]> {
    return recordIds.length
      ? this.removeWhere('collection = $1 AND record_id = ANY($2::text[])', [collection, recordIds])
      : Promise.resolve([])
  }

  /** Uploads never attached to a record, older than `hours` (abandoned forms). */
  purgeUnattached(hours: number): Promise<FileRow[]> {
    return this.removeWhere(`record_id IS NULL AND created_at < now() - make_interval(hours => $1::int)`, [
      hours
    ])
  }

  setDeleted(collection: string, recordIds: string[], deleted: boolean): Promise<number> {
    return setFilesDeleted(this.db, collection, recordIds, deleted)
  }

  /** Resolves when blob removals started by earlier purges are done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending])
  }

  async #sweep(shas: string[]): Promise<void> {
    const unique = [...new Set(shas)]
    if (!unique.length) return
    if (!this.db.inTransaction()) return this.#sweepNow(unique)
    // Inside the caller's transaction the deletions are not committed yet: sweep afterwards.
    // The advisory locks taken above make the sweep wait for that commit (or rollback).
    const job: Promise<void> = this.#outside(() => this.#sweepNow(unique))
      .catch(this.onError)
      .finally(() => this.#pending.delete(job))
    this.#pending.add(job)
  }

  async #sweepNow(shas: string[]): Promise<void> {
    for (const sha of shas) {
      await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(sha)])
        if ((await tx.query('SELECT 1 FROM _files WHERE sha256 = $1 LIMIT 1', [sha])).rowCount) return
        await this.driver.remove(sha)
        await this.driver.remove(thumbKey(sha))
      })
    }
  }
}
