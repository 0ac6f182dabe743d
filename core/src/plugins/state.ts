import type { Db } from '@medaffairs/plugin-sdk'

export interface PluginState {
  name: string
  version: string
  enabled: boolean
  updatedAt: string
  updatedBy: string | null
}

/**
 * Which plugins are enabled, stored in the database so every instance agrees. Each
 * instance caches the table for `ttlMs`; its own changes apply at once, other instances
 * see them within the TTL (at once in cluster mode).
 */
export class PluginStates {
  #cache: Map<string, PluginState> | undefined
  #loadedAt = 0

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 3000
  ) {}

  /** Records an installed plugin; a new plugin starts enabled, a known one keeps its state. */
  async register(name: string, version: string): Promise<void> {
    await this.db.query(
      `INSERT INTO _plugins (name, version) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version`,
      [name, version]
    )
    this.#cache = undefined
  }

  async all(): Promise<Map<string, PluginState>> {
    if (this.#cache && Date.now() - this.#loadedAt < this.ttlMs) return this.#cache
    const { rows } = await this.db.query<{
      name: string
      version: string
      enabled: boolean
      updated_at: Date
      updated_by: string | null
    }>('SELECT name, version, enabled, updated_at, updated_by FROM _plugins')
    this.#cache = new Map(
      rows.map((r) => [
        r.name,
        {
          name: r.name,
          version: r.version,
          enabled: r.enabled,
          updatedAt: new Date(r.updated_at).toISOString(),
          updatedBy: r.updated_by
        }
      ])
    )
    this.#loadedAt = Date.now()
    return this.#cache
  }

  async isEnabled(name: string): Promise<boolean> {
    return (await this.all()).get(name)?.enabled ?? false
  }

  async setEnabled(name: string, enabled: boolean, by: string | null): Promise<void> {
    await this.db.query(
      'UPDATE _plugins SET enabled = $2, updated_at = now(), updated_by = $3 WHERE name = $1',
      [name, enabled, by]
    )
    this.#cache = undefined
    this.notifyPeers()
  }

  /** Set by cluster mode; tells the other instances a plugin was enabled or disabled. */
  notifyPeers: () => void = () => undefined

  /** After a change on another instance. */
  expire(): void {
    this.#cache = undefined
  }
}
