import { NotAuthenticated } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import { authenticate } from '@feathersjs/authentication'
import type { Actor, AdminTier, Db, Grant } from '@medaffairs/plugin-sdk'
import type { OrgDirectory } from '../identity/org.js'

interface RoleRow {
  code: string
  grants: Grant[]
  tier: AdminTier | null
}

/**
 * Turns the authenticated user into an Actor: grants of all their roles and their
 * department subtree. Roles are cached per instance and reloaded when the access version
 * (bumped on any change to roles, departments or user departments, read through the
 * OrgDirectory) moves.
 */
export class ActorResolver {
  #roles = new Map<string, RoleRow>()
  #implicit: Grant[] = []
  #version = -1

  constructor(
    private readonly db: Db,
    private readonly org: OrgDirectory
  ) {}

  async #loadRoles(): Promise<Map<string, RoleRow>> {
    const version = await this.org.version()
    if (version === this.#version) return this.#roles
    const roles = await this.db.query<{ code: string; grants: Grant[] | null; tier: AdminTier | null }>(
      `SELECT doc->>'code' AS code, doc->'grants' AS grants, doc->>'tier' AS tier FROM c_roles WHERE deleted_at IS NULL`
    )
    this.#roles = new Map(
      roles.rows.map((r) => [r.code, { code: r.code, grants: r.grants ?? [], tier: r.tier }])
    )
    this.#version = version
    return this.#roles
  }

  /** Grants every signed-in user has, declared by collections (`everyone`). */
  setImplicitGrants(grants: Grant[]): void {
    this.#implicit = grants
  }

  /** Forces the next call to re-read roles (after a local change). */
  invalidate(): void {
    this.org.expire()
  }

  async fromUser(user: Record<string, any>): Promise<Actor> {
    const roles = await this.#loadRoles()
    const codes: string[] = Array.isArray(user.roles) ? user.roles : []
    const held = codes.map((c) => roles.get(c)).filter((r): r is RoleRow => !!r)
    return {
      kind: 'user',
      id: user.id,
      username: user.username,
      name: user.name,
      deptId: user.deptId ?? null,
      deptSubtree: await this.org.subtree(user.deptId ?? null),
      roles: codes,
      grants: [...this.#implicit, ...held.flatMap((r) => r.grants)],
      tiers: held.map((r) => r.tier).filter((t): t is AdminTier => !!t)
    }
  }

  /** Authenticates an external call (JWT) once and caches the actor on its params. */
  async fromContext(context: HookContext): Promise<Actor> {
    type Params = HookContext['params'] & { actor?: Actor; user?: any; authenticated?: boolean }
    const before = context.params as Params
    if (before.actor) return before.actor
    // A socket carries the user it logged in with; its token and session are checked again on
    // every call, so logout, disabling or a password change take effect there at once too.
    // An API key (core/src/integration) authenticates with its own strategy, never as a user.
    const strategy = before.authentication?.strategy === 'apikey' ? 'apikey' : 'jwt'
    if (before.authentication && !before.authenticated) await authenticate(strategy)(context)
    else if (!before.user) throw new NotAuthenticated('请先登录 (sign in first)')
    // authenticate() replaced context.params with one that carries the (fresh) user.
    const params = context.params as Params
    // The key's strategy puts the key's own Actor there.
    if (params.actor) return params.actor
    params.actor = await this.fromUser(params.user)
    return params.actor
  }
}
