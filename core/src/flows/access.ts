import type { Application, Params } from '@feathersjs/feathers'
import type { Actor, FlowDefinition, MaskRule } from '@medaffairs/plugin-sdk'
import { permissionFor, withScope } from '../identity/acl.js'
import type { PluginRegistry } from '../plugins/loader.js'
import type { MaskingRules } from '../records/masking-rules.js'
import { applyMasks } from '../records/shape.js'
import type { FlowStore } from './store.js'
import type { Doc, InstanceRow, TaskRow } from './types.js'

/**
 * Who sees what of a flow: the starter and everyone who has (had) a task on it, readers of
 * the record with the `review` right, and nobody else. Scores of an open round are seen by
 * the expert who gave them only.
 */
export class FlowAccess {
  constructor(
    private readonly app: Application,
    private readonly registry: PluginRegistry,
    private readonly store: FlowStore,
    private readonly masking: MaskingRules
  ) {}

  #kind(collection: string) {
    return this.registry.collections.get(collection)?.def.kind ?? 'business'
  }

  /** Whether the record is within the actor's scope for `action` on its collection. */
  async reaches(
    actor: Actor,
    collection: string,
    recordId: string,
    action: 'read' | 'review' | 'update'
  ): Promise<boolean> {
    const entry = this.registry.collections.get(collection)
    if (!entry) return false
    const perm = permissionFor(actor, collection, action, this.#kind(collection))
    if (!perm.allowed) return false
    const query = withScope({ id: recordId, $limit: 1, $select: ['id'] }, perm.scope)
    const rows = (await this.app.service(entry.path).find({ query, paginate: false } as Params)) as unknown[]
    return rows.length > 0
  }

  async canView(actor: Actor, instance: InstanceRow): Promise<boolean> {
    if (instance.startedBy === actor.id) return true
    if (await this.store.participates(instance.id, actor.id)) return true
    return this.reaches(actor, instance.collection, instance.recordId, 'review')
  }

  /** Starting needs one of `startRoles`, else the right to update records of the collection. */
  mayStart(actor: Actor, def: FlowDefinition): boolean {
    if (def.startRoles?.length) return def.startRoles.some((r) => actor.roles.includes(r))
    return permissionFor(actor, def.collection, 'update', this.#kind(def.collection)).allowed
  }

  /**
   * The record under review as this viewer may see it: through the pipeline for its readers;
   * for other participants (experts) masked as the masking rules say, sensitive fields hidden.
   */
  async record(actor: Actor, instance: InstanceRow, params: Params): Promise<Doc | null> {
    const entry = this.registry.collections.get(instance.collection)
    if (!entry) return null
    if (await this.reaches(actor, instance.collection, instance.recordId, 'read')) {
      return (await this.app
        .service(entry.path)
        .get(instance.recordId, { ...params, query: {} })
        .catch(() => null)) as Doc | null
    }
    const doc = (await this.app
      .service(entry.path)
      .get(instance.recordId)
      .catch(() => null)) as Doc | null
    if (!doc) return null
    const masks = new Map<string, MaskRule>(
      await this.masking.forReader(instance.collection, this.#kind(instance.collection), actor)
    )
    for (const f of entry.def.fields)
      if (f.sensitive) masks.set(f.name, { kind: 'keep', first: 0, last: 0 } as MaskRule)
    return applyMasks(doc, masks)
  }
}

/** A task as a viewer may see it: an open round's scores and remarks belong to their expert alone. */
export function shapeTask(task: TaskRow & Doc, viewerId: string, roundOpen: boolean): Doc {
  const hidden = task.kind === 'score' && roundOpen && task.assigneeId !== viewerId
  const { remindAt: _r, ...rest } = task
  return hidden
    ? { ...rest, scores: null, comment: null, vote: null, data: null, roundOpen }
    : { ...rest, roundOpen: task.kind === 'score' ? roundOpen : undefined }
}
