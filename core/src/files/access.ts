import { BadRequest, Forbidden } from '@feathersjs/errors'
import type { Application, Params } from '@feathersjs/feathers'
import type { Action, Actor } from '@medaffairs/plugin-sdk'
import { permissionFor, withScope, type Permission } from '../identity/acl.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { FileRow, FileTarget } from './store.js'

type Deleted = 'include' | undefined

/**
 * A module that holds files outside any collection (e.g. the flow engine's review
 * conversation) decides who reads them; such files are never removed or moved by users.
 */
export interface FileOwner {
  canRead(recordId: string, actor: Actor): Promise<boolean>
}

/**
 * Who may see, attach and remove a file. A file attached to a record is governed by that
 * record: the caller must reach the record through the collection's service within their
 * data scope (and see the field the file sits in). Everything else is the uploader's alone.
 */
export class FileAccess {
  /** Owners by the `collection` value their files carry (not a collection of the registry). */
  readonly owners = new Map<string, FileOwner>()

  constructor(
    private readonly app: Application,
    private readonly registry: PluginRegistry
  ) {}

  #collection(name: string) {
    const entry = this.registry.collections.get(name)
    return entry ? { path: entry.path, kind: entry.def.kind ?? 'business' } : null
  }

  /** Whether the record is within `scope` (an internal call: the scope is the only filter). */
  async #reaches(
    path: string,
    recordId: string,
    scope: Permission['scope'],
    deleted?: Deleted
  ): Promise<boolean> {
    const query = withScope({ id: recordId, $limit: 1, $select: ['id'] }, scope)
    const rows = (await this.app
      .service(path)
      .find({ query, paginate: false, deleted } as Params)) as unknown[]
    return rows.length > 0
  }

  /** Whether a record of that id exists at all, in the recycle bin or not. */
  #exists(path: string, recordId: string): Promise<boolean> {
    return this.#reaches(path, recordId, null, 'include')
  }

  #permission(
    actor: Actor,
    collection: string,
    action: Action,
    field: string | null | undefined
  ): Permission | null {
    const c = this.#collection(collection)
    if (!c) return null
    const perm = permissionFor(actor, collection, action, c.kind)
    if (!perm.allowed) return null
    const fields = action === 'read' || action === 'restore' ? perm.readFields : perm.writeFields
    if (field && fields && !fields.has(field)) return null
    return perm
  }

  /**
   * Readable by whoever may read the record; once the record is in the recycle bin, only by
   * those who may restore it. Not attached (or attached to a record not created yet): the
   * uploader only.
   */
  async canRead(file: FileRow, actor: Actor): Promise<boolean> {
    const own = file.createdBy === actor.id
    if (!file.collection || !file.recordId) return own
    const owner = this.owners.get(file.collection)
    if (owner) return !file.deletedAt && owner.canRead(file.recordId, actor)
    const c = this.#collection(file.collection)
    if (!c) return false
    const action = file.deletedAt ? 'restore' : 'read'
    const perm = this.#permission(actor, file.collection, action, file.field)
    if (
      perm &&
      (await this.#reaches(c.path, file.recordId, perm.scope, file.deletedAt ? 'include' : undefined))
    )
      return true
    return own && !file.deletedAt && !(await this.#exists(c.path, file.recordId))
  }

  /**
   * Refuses unless the actor may put a file on that record: `update` within scope for an
   * existing record, `create` on the collection for one not created yet (the form is new;
   * the file is attached for good when the record is saved, or by a later PATCH).
   */
  async checkAttach(actor: Actor, target: FileTarget): Promise<void> {
    if (!target.collection) {
      if (target.recordId || target.field)
        throw new BadRequest('请同时指定 collection (recordId and field need a collection)')
      return
    }
    const c = this.#collection(target.collection)
    if (!c)
      throw new BadRequest(`未知的数据集：${target.collection} (unknown collection)`, {
        collection: target.collection
      })
    const existing = target.recordId ? await this.#exists(c.path, target.recordId) : false
    const action = existing ? 'update' : 'create'
    const perm = this.#permission(actor, target.collection, action, target.field)
    const inScope = perm && (!existing || (await this.#reaches(c.path, target.recordId!, perm.scope)))
    if (!inScope) {
      throw new Forbidden(
        `无权向该记录添加附件 (not allowed to attach files to this ${target.collection} record)`,
        { collection: target.collection, action }
      )
    }
  }

  /** Not attached, or attached to a record id no record has (yet): the form was not saved. */
  async isPending(file: FileRow): Promise<boolean> {
    if (!file.collection || !file.recordId) return true
    if (this.owners.has(file.collection)) return false
    const c = this.#collection(file.collection)
    return !c || !(await this.#exists(c.path, file.recordId))
  }

  /** The uploader may drop a file no record holds yet; otherwise it takes `update` on the record. */
  async canRemove(file: FileRow, actor: Actor): Promise<boolean> {
    if (file.deletedAt) return false
    if (!file.collection || !file.recordId) return file.createdBy === actor.id
    if (this.owners.has(file.collection)) return false
    const c = this.#collection(file.collection)
    if (!c) return false
    const perm = this.#permission(actor, file.collection, 'update', file.field)
    if (perm && (await this.#reaches(c.path, file.recordId, perm.scope))) return true
    return file.createdBy === actor.id && !(await this.#exists(c.path, file.recordId))
  }
}
