import type { Actor, CollectionKind, Db, MaskRule } from '@medaffairs/plugin-sdk'
import { permissionFor } from '../identity/acl.js'

const EMPTY: ReadonlyMap<string, MaskRule> = new Map()

/**
 * The administrator's masking rules (`masking_rules` collection), cached per instance for
 * a few seconds. A reader with the `unmask` right on a collection sees it unmasked.
 */
export class MaskingRules {
  #byCollection = new Map<string, Map<string, MaskRule>>()
  #loadedAt = 0

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2000
  ) {}

  /** Set by cluster mode; tells the other instances the rules changed. */
  notifyPeers: () => void = () => undefined

  /** After a change on this instance. */
  invalidate(): void {
    this.#loadedAt = 0
    this.notifyPeers()
  }

  /** After a change on another instance. */
  expire(): void {
    this.#loadedAt = 0
  }

  async rulesOf(collection: string): Promise<ReadonlyMap<string, MaskRule>> {
    if (Date.now() - this.#loadedAt > this.ttlMs) {
      const { rows } = await this.db.query<{ collection: string; field: string; rule: MaskRule }>(
        `SELECT doc->>'collection' AS collection, doc->>'field' AS field, doc->'rule' AS rule
         FROM c_masking_rules WHERE deleted_at IS NULL AND COALESCE((doc->>'enabled')::boolean, true)`
      )
      const next = new Map<string, Map<string, MaskRule>>()
      for (const r of rows) {
        if (!next.has(r.collection)) next.set(r.collection, new Map())
        next.get(r.collection)!.set(r.field, r.rule)
      }
      this.#byCollection = next
      this.#loadedAt = Date.now()
    }
    return this.#byCollection.get(collection) ?? EMPTY
  }

  /** The masks that apply to this reader. */
  async forReader(
    collection: string,
    kind: CollectionKind,
    actor: Actor
  ): Promise<ReadonlyMap<string, MaskRule>> {
    const rules = await this.rulesOf(collection)
    if (!rules.size || permissionFor(actor, collection, 'unmask', kind).allowed) return EMPTY
    return rules
  }
}
