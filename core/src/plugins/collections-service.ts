import type { Params } from '@feathersjs/feathers'
import { ACTIONS, type Action, type Actor, type CollectionDefinition } from '@medaffairs/plugin-sdk'
import { permissionFor } from '../identity/acl.js'
import type { PluginRegistry } from './loader.js'

export interface CollectionInfo extends CollectionDefinition {
  path: string
  plugin: string
  /** What the caller may do on it. */
  permissions: Record<Action, boolean>
}

/**
 * `GET /api/collections`: the definitions of the enabled plugins' collections, with what
 * the caller may do on each — the generic record pages and the permission editor draw
 * themselves from this.
 */
export class CollectionsService {
  constructor(private readonly registry: PluginRegistry) {}

  async find(params: Params & { actor?: Actor }): Promise<CollectionInfo[]> {
    const states = await this.registry.states.all()
    const out: CollectionInfo[] = []
    for (const { def, plugin, path } of this.registry.collections.values()) {
      if (!states.get(plugin)?.enabled) continue
      const permissions = Object.fromEntries(
        ACTIONS.map((a) => [
          a,
          params.actor ? permissionFor(params.actor, def.name, a, def.kind ?? 'business').allowed : false
        ])
      ) as Record<Action, boolean>
      out.push({ ...def, path, plugin, permissions })
    }
    return out
  }
}
