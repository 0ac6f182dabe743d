import { BadRequest, Forbidden, NotFound } from '@feathersjs/errors'
import type { Id, Params } from '@feathersjs/feathers'
import type { Actor } from '@medaffairs/plugin-sdk'
import type { FilesDeps } from './deps.js'
import type { FileRow, FileTarget } from './store.js'

type FileParams = Params & { actor?: Actor; route?: Record<string, string> }

const notFound = () => new NotFound('文件不存在或无权访问 (file not found)')
const str = (v: unknown) => (typeof v === 'string' && v ? v : null)

/**
 * `files`: the metadata of stored files. `find` lists a record's files (`?collection=&recordId=
 * [&field=]`) or, without a record, the caller's uploads not attached yet; `get` one file;
 * `patch` attaches an upload to a record once the record exists; `remove` deletes it.
 * Uploads themselves are `POST /api/files` multipart (see upload.ts); a JSON create is refused.
 * Internal calls (no actor) are trusted.
 */
export class FilesService {
  // No #private members in services: Feathers calls them on a wrapper object (Object.create).
  constructor(private readonly deps: FilesDeps) {}

  private async readable(id: Id, actor: Actor | undefined): Promise<FileRow> {
    const file = await this.deps.store.byId(String(id))
    if (!file || (actor && !(await this.deps.access.canRead(file, actor)))) throw notFound()
    return file
  }

  async find(params: FileParams = {}): Promise<FileRow[]> {
    const q = params.query ?? {}
    const { actor } = params
    const collection = str(q.collection)
    const recordId = str(q.recordId)
    if (!collection || !recordId) {
      if (collection || recordId)
        throw new BadRequest('请同时指定 collection 与 recordId (give both collection and recordId)')
      return actor ? this.deps.store.pendingOf(actor.id) : []
    }
    const files = await this.deps.store.ofRecord(collection, recordId, str(q.field) ?? undefined)
    if (!actor) return files
    const visible: FileRow[] = []
    for (const f of files) if (await this.deps.access.canRead(f, actor)) visible.push(f)
    return visible
  }

  get(id: Id, params: FileParams = {}): Promise<FileRow> {
    return this.readable(id, params.actor)
  }

  async create(): Promise<never> {
    throw new BadRequest(
      '请以 multipart/form-data 向 POST /api/files 上传文件 (upload with a multipart/form-data POST to /api/files)'
    )
  }

  /** `{collection, recordId, field}`: attaches the caller's own upload once the record exists. */
  async patch(id: Id, data: Partial<FileTarget>, params: FileParams = {}): Promise<FileRow> {
    const file = await this.readable(id, params.actor)
    const extra = Object.keys(data ?? {}).filter((k) => !['collection', 'recordId', 'field'].includes(k))
    if (extra.length)
      throw new BadRequest(
        `只能修改 collection、recordId、field (only collection, recordId and field can change): ${extra.join(', ')}`
      )
    const target: FileTarget = {
      collection: str(data.collection) ?? file.collection ?? null,
      recordId: str(data.recordId) ?? file.recordId ?? null,
      field: data.field === undefined ? (file.field ?? null) : str(data.field)
    }
    if (params.actor) {
      const actor = params.actor
      // A file whose record exists stays with it: moving it would bypass the record's rights.
      const mayMove =
        file.createdBy === actor.id && !file.deletedAt && (await this.deps.access.isPending(file))
      if (!mayMove)
        throw new Forbidden(
          '只能关联自己上传且尚未归属记录的文件 (only your own, not yet attached uploads can be attached)'
        )
      await this.deps.access.checkAttach(actor, target)
    }
    return this.deps.store.attach(file.id, target)
  }

  async remove(id: Id, params: FileParams = {}): Promise<FileRow> {
    const file = await this.readable(id, params.actor)
    const actor = params.actor
    if (actor && !(await this.deps.access.canRemove(file, actor)))
      throw new Forbidden('无权删除该文件 (not allowed to remove this file)')
    await this.deps.store.remove(file.id)
    await this.deps.audit?.append([
      {
        action: 'remove',
        collection: 'files',
        recordId: file.id,
        actor: actor ? { id: actor.id, name: actor.name ?? null } : null,
        ip: (params as { ip?: string }).ip ?? null,
        diff: {
          name: file.name,
          sha256: file.sha256,
          attachedTo: { collection: file.collection, recordId: file.recordId, field: file.field }
        }
      }
    ])
    return file
  }
}

/**
 * `files/:fileId/url`: `GET /api/files/:id/url[?thumb=1][&expiresIn=seconds]` answers a
 * signed download URL for the caller (default and longest life: `files.urlTtlSeconds`).
 */
export class FileUrlService {
  constructor(private readonly deps: FilesDeps) {}

  async find(params: FileParams = {}): Promise<{ url: string; expiresAt: string }> {
    const actor = params.actor
    if (!actor) throw new BadRequest('签名链接需要用户身份 (a signed link needs a user)')
    const fileId = String(params.route?.fileId ?? '')
    const file = await this.deps.store.byId(fileId)
    if (!file || !(await this.deps.access.canRead(file, actor))) throw notFound()
    const thumb = ['1', 'true', true].includes(params.query?.thumb)
    if (thumb && !file.hasThumbnail) throw new NotFound('该文件没有缩略图 (this file has no thumbnail)')
    const max = this.deps.config.urlTtlSeconds
    const ttl = Math.min(Math.max(Number(params.query?.expiresIn) || max, 1), max)
    const expires = Date.now() + ttl * 1000
    const query = this.deps.signer.sign({ fileId, thumb, userId: actor.id, expires })
    return {
      url: `/api/files/${encodeURIComponent(fileId)}/content?${query}`,
      expiresAt: new Date(expires).toISOString()
    }
  }
}

/** `files/:fileId/content`: no service methods; its Koa middleware streams the bytes. */
export class FileContentService {
  async setup(): Promise<void> {}
}
