import { createHash } from 'node:crypto'
import type { Application } from '@feathersjs/feathers'
import type { Logger } from '../../logger.js'
import type { PluginRegistry } from '../../plugins/loader.js'
import { collectionFragment } from './collections.js'
import { ERROR_RESPONSES, ERROR_SCHEMAS, SECURITY_SCHEMES, SIGNED_IN } from './components.js'
import { contributorsOf } from './contributors.js'
import { coreServicesContributor } from './core-services.js'
import { publishedDefinitions } from './definitions.js'
import { flowsContributor } from './flows.js'
import type { Json, OpenApiContext, OpenApiContributor, OpenApiFragment } from './types.js'

export interface OpenApiDeps {
  app: Application
  registry: PluginRegistry
  logger: Logger
  version: string
  /** The largest `$limit` lists accept (config paginate.max). */
  maxLimit: number
}

const INTRO = `医务管理平台对外接口。HIS 等系统用安全管理员签发的 API 密钥调用：请求头 \`X-API-Key: ma_…\`；每次调用都记入审计日志，并按密钥限流。
列表分页返回 \`{total, limit, skip, data, next, count}\`；大表请用 \`$after\`（键集分页）。错误为 JSON，400 的 \`errors\` 逐项说明字段与原因。

Integration API of MedAffairs. Other systems (HIS, HERP) call it with an API key issued by the security administrator in the \`X-API-Key\` header; every call is audited and rate-limited per key. Lists answer \`{total, limit, skip, data, next, count}\`; page large tables with \`$after\`. Errors are JSON; a 400 lists each field and reason in \`errors\`.`

export interface BuiltDocument {
  json: string
  etag: string
}

/** Merges a fragment; a path operation or schema already present is kept (first wins) and reported. */
function merge(doc: Json, f: OpenApiFragment, from: string, warn: (msg: string) => void): void {
  for (const [path, item] of Object.entries(f.paths ?? {})) {
    const current = (doc.paths[path] ??= {})
    for (const [method, op] of Object.entries(item)) {
      if (current[method] !== undefined && method !== 'parameters')
        warn(`openapi: ${from} describes ${method.toUpperCase()} ${path} again; kept the first`)
      else current[method] ??= op
    }
  }
  for (const [name, schema] of Object.entries(f.schemas ?? {})) {
    if (doc.components.schemas[name] === undefined) doc.components.schemas[name] = schema
    else if (JSON.stringify(doc.components.schemas[name]) !== JSON.stringify(schema))
      warn(`openapi: ${from} redefines schema ${name}; kept the first`)
  }
  for (const tag of f.tags ?? []) if (!doc.tags.some((t: Json) => t.name === tag.name)) doc.tags.push(tag)
}

/**
 * The OpenAPI 3.1 document, generated from what is registered now: enabled collections
 * (with their published forms), core services, flows and registered contributors. Cached
 * until the enabled set, a definition, a published form/flow or a contributor changes.
 */
export class OpenApiBuilder {
  #cache?: { key: string } & BuiltDocument

  constructor(private readonly deps: OpenApiDeps) {}

  #contributors(): OpenApiContributor[] {
    const registered = contributorsOf(this.deps.app)
    const ids = new Set(registered.map((c) => c.id))
    return [
      coreServicesContributor,
      ...(ids.has('flows') ? [] : [flowsContributor]),
      ...registered.filter((c) => c.id !== 'core')
    ]
  }

  async document(): Promise<BuiltDocument> {
    const { app, registry } = this.deps
    const states = await registry.states.all()
    const enabled = [...registry.collections.values()].filter((c) => states.get(c.plugin)?.enabled)
    const defs = await publishedDefinitions(app, (err) =>
      this.deps.logger.warn({ err }, 'openapi: could not read published definitions')
    )
    const contributors = this.#contributors()
    const versions = await Promise.all(
      contributors.map(async (c) => `${c.id}:${(await c.version?.()) ?? ''}`)
    )
    const services = Object.keys((app as unknown as { services: Record<string, unknown> }).services).sort()
    const key = createHash('sha1')
      .update(JSON.stringify([enabled.map((c) => [c.path, c.def]), defs.fingerprint, versions, services]))
      .digest('hex')
    if (this.#cache?.key === key) return this.#cache
    const ctx: OpenApiContext = {
      app,
      registry,
      forms: defs.forms,
      flows: defs.flows,
      has: (p) => services.includes(p)
    }
    const doc = this.#skeleton()
    const warn = (msg: string) => this.deps.logger.warn(msg)
    for (const c of enabled)
      merge(
        doc,
        collectionFragment(c.def, c.path, defs.forms.get(c.def.name), this.deps.maxLimit),
        `collection ${c.def.name}`,
        warn
      )
    for (const c of contributors) merge(doc, await c.describe(ctx), c.id, warn)
    const json = JSON.stringify(doc)
    this.#cache = { key, json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` }
    return this.#cache
  }

  #skeleton(): Json {
    return {
      openapi: '3.1.0',
      info: { title: 'MedAffairs 医务管理平台 API', version: this.deps.version, description: INTRO },
      servers: [{ url: '/', description: '本服务器 (this server)' }],
      security: SIGNED_IN,
      tags: [],
      paths: {},
      components: {
        schemas: { ...ERROR_SCHEMAS },
        responses: { ...ERROR_RESPONSES },
        securitySchemes: { ...SECURITY_SCHEMES }
      }
    }
  }
}
