import type { Application } from '@feathersjs/feathers'
import type { DefinitionVersion, FormDefinition } from '@medaffairs/plugin-sdk'
import type { PluginRegistry } from '../../plugins/loader.js'

/** A piece of JSON (an OpenAPI object or a JSON Schema): the document is plain data. */
export type Json = Record<string, any>

/** What a descriptor adds to the document. Later descriptors may not overwrite earlier paths. */
export interface OpenApiFragment {
  paths?: Record<string, Json>
  schemas?: Record<string, Json>
  tags?: Array<{ name: string; description?: string }>
}

/** What a descriptor can look at while the document is built. */
export interface OpenApiContext {
  app: Application
  registry: PluginRegistry
  /** Published forms by collection name (from the `definitions` service, when there is one). */
  forms: ReadonlyMap<string, FormDefinition>
  /** Published flow definitions (kind `flow`), when the `definitions` service has them. */
  flows: ReadonlyArray<DefinitionVersion<Json>>
  /** Whether a service is registered at this path. */
  has(path: string): boolean
}

/**
 * A contributor of paths: core services, the flow engine, a plugin's own services. `id`
 * names it; registering the same id again replaces the earlier one (e.g. the flow engine
 * replacing the generic `flows` description with its own).
 */
export interface OpenApiContributor {
  id: string
  describe(ctx: OpenApiContext): OpenApiFragment | Promise<OpenApiFragment>
  /** Joins the document's cache key when the output depends on the contributor's own state. */
  version?(): string | Promise<string>
}
