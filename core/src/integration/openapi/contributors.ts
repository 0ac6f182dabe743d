import type { Application } from '@feathersjs/feathers'
import type { OpenApiContext, OpenApiContributor, OpenApiFragment } from './types.js'

const registries = new WeakMap<object, Map<string, OpenApiContributor>>()

/**
 * Adds paths to the generated document (the flow engine, a plugin's own services). The
 * function runs whenever the document is rebuilt; `version` joins the cache key, so a
 * contributor whose output depends on its own state says when it changed.
 */
export function registerOpenApiPaths(
  app: Application,
  contributor: OpenApiContributor | ((ctx: OpenApiContext) => OpenApiFragment | Promise<OpenApiFragment>),
  id?: string
): void {
  const c: OpenApiContributor =
    typeof contributor === 'function'
      ? { id: id ?? `contributor-${contributorsOf(app).length + 1}`, describe: contributor }
      : contributor
  let map = registries.get(app)
  if (!map) registries.set(app, (map = new Map()))
  map.set(c.id, c)
}

export function contributorsOf(app: Application): OpenApiContributor[] {
  return [...(registries.get(app)?.values() ?? [])]
}
