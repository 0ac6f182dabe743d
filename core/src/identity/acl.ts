import type { Action, Actor, CollectionKind, Grant } from '@medaffairs/plugin-sdk'

type Query = Record<string, unknown>

/** The outcome of asking whether an actor may do an action on a collection. */
export interface Permission {
  allowed: boolean
  /** Rows the actor reaches, as a Feathers query; null = every row. */
  scope: Query | null
  /** Readable and writable fields; null = every field. */
  readFields: Set<string> | null
  writeFields: Set<string> | null
}

const DENIED: Permission = { allowed: false, scope: null, readFields: new Set(), writeFields: new Set() }
/** A query no row satisfies (`id` is never null), for an empty department subtree. */
const NOTHING: Query = { id: { $in: [] } }

function grantsFor(actor: Actor, collection: string, action: Action, kind: CollectionKind): Grant[] {
  return actor.grants.filter(
    (g) =>
      (g.collection === collection || (g.collection === '*' && kind === 'business')) &&
      g.actions.includes(action)
  )
}

/** Replaces `$user.*` variables in a custom filter with the actor's values. */
export function bindVariables(value: unknown, actor: Actor): unknown {
  if (typeof value === 'string' && value.startsWith('$user.')) {
    const key = value.slice(6)
    if (key === 'id') return actor.id
    if (key === 'deptId') return actor.deptId
    if (key === 'deptSubtree') return actor.deptSubtree
    if (key === 'username') return actor.username ?? null
    throw new Error(`Unknown variable ${value} in a role filter`)
  }
  if (Array.isArray(value)) return value.map((v) => bindVariables(v, actor))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bindVariables(v, actor)]))
  }
  return value
}

function scopeOf(grant: Grant, actor: Actor): Query | null {
  switch (grant.scope) {
    case 'all':
      return null
    case 'own':
      return { ownerId: actor.id }
    case 'dept':
      return actor.deptId ? { deptId: actor.deptId } : NOTHING
    case 'dept_tree':
      return actor.deptSubtree.length ? { deptId: { $in: actor.deptSubtree } } : NOTHING
    case 'custom':
      return grant.filter ? (bindVariables(grant.filter, actor) as Query) : NOTHING
  }
}

function unionFields(grants: Grant[], key: 'readFields' | 'writeFields'): Set<string> | null {
  const out = new Set<string>()
  for (const g of grants) {
    const fields = g[key] ?? (key === 'writeFields' ? g.readFields : undefined)
    if (!fields) return null
    for (const f of fields) out.add(f)
  }
  return out
}

/**
 * The union of the actor's roles: allowed when any grant allows, reaching the rows any of
 * them reaches, with the fields any of them opens.
 */
export function permissionFor(
  actor: Actor,
  collection: string,
  action: Action,
  kind: CollectionKind = 'business'
): Permission {
  const grants = grantsFor(actor, collection, action, kind)
  if (!grants.length) return DENIED
  const scopes = grants.map((g) => scopeOf(g, actor))
  const scope = scopes.some((s) => s === null)
    ? null
    : scopes.length === 1
      ? scopes[0]
      : { $or: scopes as Query[] }
  return {
    allowed: true,
    scope,
    readFields: unionFields(grants, 'readFields'),
    writeFields: unionFields(grants, 'writeFields')
  }
}

/** Combines a caller's query with a scope so that the scope can never be widened. */
export function withScope(query: Query | undefined, scope: Query | null): Query {
  if (!scope) return { ...(query ?? {}) }
  const { $limit, $skip, $sort, $select, $count, $after, ...filter } = query ?? {}
  const specials = Object.fromEntries(
    Object.entries({ $limit, $skip, $sort, $select, $count, $after }).filter(([, v]) => v !== undefined)
  )
  const conditions = Object.keys(filter).length ? [filter, scope] : [scope]
  return { ...specials, $and: conditions }
}
