import type { Db } from '@medaffairs/plugin-sdk'

/**
 * Department subtrees, cached per instance and keyed by an organization version stored in
 * the database. Any change to the tree or to a user's department bumps the version, so
 * every instance drops its cache within `checkEveryMs` (at once in cluster mode, where
 * `notifyPeers` tells the other instances to `expire`).
 */
export class OrgDirectory {
  #version = -1
  #checkedAt = 0
  #subtrees = new Map<string, string[]>()

  constructor(
    private readonly db: Db,
    private readonly checkEveryMs = 1000
  ) {}

  /** Set by cluster mode; tells the other instances the organization changed. */
  notifyPeers: () => void = () => undefined

  async bump(): Promise<void> {
    await this.db.query('UPDATE _org_version SET version = version + 1 WHERE id = 1')
    this.#checkedAt = 0
    this.notifyPeers()
  }

  /** Makes the next read check the version in the database. */
  expire(): void {
    this.#checkedAt = 0
  }

  /** The organization version as of at most `checkEveryMs` ago. */
  async version(): Promise<number> {
    await this.#fresh()
    return this.#version
  }

  async #fresh(): Promise<void> {
    if (Date.now() - this.#checkedAt < this.checkEveryMs) return
    const { rows } = await this.db.query<{ version: number }>('SELECT version FROM _org_version WHERE id = 1')
    const version = Number(rows[0]?.version ?? 0)
    this.#checkedAt = Date.now()
    if (version !== this.#version) {
      this.#version = version
      this.#subtrees.clear()
    }
  }

  /** The department and every live department below it. */
  async subtree(deptId: string | null): Promise<string[]> {
    if (!deptId) return []
    await this.#fresh()
    const cached = this.#subtrees.get(deptId)
    if (cached) return cached
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT d.id FROM c_departments d, c_departments root
       WHERE root.id = $1 AND d.deleted_at IS NULL
         AND (d.doc->>'path') COLLATE "C" LIKE (root.doc->>'path') || '%'`,
      [deptId]
    )
    const ids = rows.map((r) => r.id)
    this.#subtrees.set(deptId, ids)
    return ids
  }

  /** Ancestors from the root down to the department's parent. */
  async ancestors(deptId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ path: string }>(
      `SELECT doc->>'path' AS path FROM c_departments WHERE id = $1`,
      [deptId]
    )
    const path = rows[0]?.path ?? ''
    return path.split('/').filter((p) => p && p !== deptId)
  }
}
