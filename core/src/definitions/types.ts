import type { DefinitionKind, DefinitionVersion } from '@medaffairs/plugin-sdk'

/**
 * A stored definition version as the `definitions` service returns it. Beyond the SDK's
 * DefinitionVersion: `id` (`<kind>:<key>:<version>`, `draft` for the draft) and
 * `baseVersion` (the version a draft started from, or the one a rollback restored).
 * A draft has version 0 until it is published.
 */
export interface StoredDefinition<T = unknown> extends DefinitionVersion<T> {
  id: string
  baseVersion: number | null
}

/** What a plugin shipped for a form: which fields were its own (the rest are the hospital's). */
export interface DefinitionSource {
  plugin: string
  pluginVersion: string
  fields: string[]
}

/**
 * Kinds the definitions service stores. Dictionaries are not among them: they live in the
 * dictionaries plugin's tables with their own audit trail (config files still carry them).
 */
export const STORED_KINDS: readonly DefinitionKind[] = ['form', 'flow', 'dashboard']

export type VersionRef = number | 'draft' | 'published'

export interface DefinitionRef {
  kind: DefinitionKind
  key: string
  version: VersionRef
}

/** Keys are collection names for forms; other kinds use the same safe alphabet plus `-`. */
export const KEY_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/

export function isStoredKind(kind: unknown): kind is DefinitionKind {
  return typeof kind === 'string' && (STORED_KINDS as readonly string[]).includes(kind)
}

export function refId(kind: string, key: string, version: VersionRef): string {
  return `${kind}:${key}:${version}`
}

/** Parses `form:training:3`, `form:training:draft` or `form:training:published`. */
export function parseRef(id: unknown): DefinitionRef | undefined {
  if (typeof id !== 'string') return undefined
  // REST clients encode the id (`form%3Atraining%3Adraft`); Koa hands the path over undecoded.
  let text = id
  try {
    text = decodeURIComponent(id)
  } catch {
    return undefined
  }
  const [kind, key, v, ...rest] = text.split(':')
  if (rest.length || !isStoredKind(kind) || !KEY_PATTERN.test(key ?? '')) return undefined
  const version = parseVersion(v)
  return version === undefined ? undefined : { kind, key, version }
}

export function parseVersion(v: unknown): VersionRef | undefined {
  if (v === 'draft' || v === 'published') return v
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN
  return Number.isInteger(n) && n >= 1 ? n : undefined
}
