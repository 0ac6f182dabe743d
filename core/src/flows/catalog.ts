import { BadRequest, NotFound } from '@feathersjs/errors'
import type { Application } from '@feathersjs/feathers'
import type { Db, DefinitionVersion, FlowDefinition } from '@medaffairs/plugin-sdk'
import type { Definitions } from '../definitions/engine.js'
import { FlowGraph } from './graph.js'
import { validateFlow } from './validate.js'

export interface PublishedFlow {
  def: FlowDefinition
  version: number
}

type Versions = DefinitionVersion<FlowDefinition>[] | { data: DefinitionVersion<FlowDefinition>[] }

/**
 * Where flow definitions come from. The `definitions` service (kind `flow`) holds the
 * hospital's published versions when it is installed; otherwise a plugin's flow is
 * version 1. Every version an instance starts on is pinned in `_flow_versions`, so the
 * instance finishes on it whatever is published later.
 */
export class FlowCatalog {
  readonly #plugin = new Map<string, FlowDefinition>()
  readonly #pinned = new Map<string, { def: FlowDefinition; graph: FlowGraph }>()

  constructor(
    private readonly app: Application,
    private readonly db: Db,
    pluginFlows: FlowDefinition[]
  ) {
    for (const def of pluginFlows) {
      const problems = validateFlow(def)
      if (problems.length) throw new Error(`flow ${def.key}: ${problems.map((p) => p.message).join('; ')}`)
      this.#plugin.set(def.key, def)
    }
  }

  async #published(key?: string): Promise<DefinitionVersion<FlowDefinition>[] | null> {
    const service = this.app.services.definitions as { find(params: unknown): Promise<Versions> } | undefined
    if (!service) return null
    const found = await service.find({
      query: { kind: 'flow', status: 'published', $limit: 200, ...(key ? { key } : {}) },
      paginate: false
    })
    const list = Array.isArray(found) ? found : found.data
    return list.filter((v) => v.kind === 'flow' && v.status === 'published' && (!key || v.key === key))
  }

  /** The newest published version of every flow (plugins' defaults included). */
  async list(): Promise<PublishedFlow[]> {
    const out = new Map<string, PublishedFlow>()
    for (const def of this.#plugin.values()) out.set(def.key, { def, version: 1 })
    for (const v of (await this.#published()) ?? []) {
      // The service's copy wins over the plugin's default of the same version.
      if (v.version >= (out.get(v.key)?.version ?? 0))
        out.set(v.key, { def: { ...v.body, key: v.key }, version: v.version })
    }
    return [...out.values()].sort((a, b) => a.def.key.localeCompare(b.def.key))
  }

  /** Whether a plugin ships this flow (the designer shows plugins' defaults apart from the hospital's own). */
  shipped(key: string): boolean {
    return this.#plugin.has(key)
  }

  /** The version a new instance starts on. */
  async latest(key: string): Promise<PublishedFlow> {
    const published = (await this.#published(key)) ?? []
    const newest = published.sort((a, b) => b.version - a.version)[0]
    if (newest) return { def: { ...newest.body, key }, version: newest.version }
    const def = this.#plugin.get(key)
    if (!def) throw new NotFound(`没有名为「${key}」的已发布流程 (no published flow ${key})`)
    return (await this.#seed(def)) ?? { def, version: 1 }
  }

  /**
   * With the definitions module installed, a plugin's flow is published there as version 1
   * the first time it is used, so the hospital's edits in the designer become 2, 3…
   * (the same lock-then-check as form seeding: one version 1 however many instances race).
   */
  async #seed(def: FlowDefinition): Promise<PublishedFlow | null> {
    const defs = this.app.get('definitions') as Definitions | undefined
    if (!defs?.stagePublish) return null
    const stored = await defs.db.transaction(async () => {
      await defs.store.lock('flow', def.key)
      const existing = await defs.store.get('flow', def.key, 'published')
      if (existing) return existing
      const comment = '插件提供的默认流程 (shipped by the plugin)'
      return (await defs.stagePublish({ kind: 'flow', key: def.key, body: def, comment, author: null }))
        .result.definition
    })
    return { def: { ...(stored.body as FlowDefinition), key: def.key }, version: stored.version }
  }

  /** Records the version an instance runs on (idempotent). Refuses an invalid definition. */
  async pin(flow: PublishedFlow): Promise<void> {
    const id = `${flow.def.key}@${flow.version}`
    if (this.#pinned.has(id)) return
    const problems = validateFlow(flow.def)
    if (problems.length)
      throw new BadRequest(`流程定义有误，不能发起 (the flow definition is invalid)`, { problems })
    await this.db.query(
      'INSERT INTO _flow_versions (flow_key, version, body) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING',
      [flow.def.key, flow.version, JSON.stringify(flow.def)]
    )
    await this.at(flow.def.key, flow.version)
  }

  /** A pinned version, indexed for walking; versions never change, so they are cached for good. */
  async at(key: string, version: number): Promise<{ def: FlowDefinition; graph: FlowGraph }> {
    const id = `${key}@${version}`
    const hit = this.#pinned.get(id)
    if (hit) return hit
    const { rows } = await this.db.query<{ body: FlowDefinition }>(
      'SELECT body FROM _flow_versions WHERE flow_key = $1 AND version = $2',
      [key, version]
    )
    if (!rows.length) throw new NotFound(`流程「${key}」第${version}版不存在 (flow version not found)`)
    const body =
      typeof rows[0].body === 'string' ? (JSON.parse(rows[0].body) as FlowDefinition) : rows[0].body
    const entry = { def: body, graph: new FlowGraph(body) }
    this.#pinned.set(id, entry)
    return entry
  }
}
