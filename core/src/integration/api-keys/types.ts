import type { Grant } from '@medaffairs/plugin-sdk'

/** What a key may do: grants like a role's (scope `all` or `custom` only) and flows it may start or act on. */
export interface ApiKeyScopes {
  grants: Grant[]
  flows: string[]
}

export type ApiKeyStatus = 'active' | 'expired' | 'revoked'

/** A key as lists and the administrator see it: never the secret or its hash. */
export interface ApiKeyInfo {
  id: string
  name: string
  /** The first 8 characters after `ma_`, enough to recognize a key in a list. */
  prefix: string
  scopes: ApiKeyScopes
  /** CIDRs (IPv4 or IPv6) calls may come from; empty = any address. */
  allowList: string[]
  /** Calls per minute; null = the server default. */
  ratePerMinute: number | null
  expiresAt: string | null
  lastUsedAt: string | null
  lastUsedIp: string | null
  createdAt: string
  createdBy: string | null
  updatedAt: string
  revokedAt: string | null
  revokedBy: string | null
  status: ApiKeyStatus
}

/** A stored key with its hash, for the authenticator only. */
export interface ApiKeyRecord extends ApiKeyInfo {
  hash: string
}

/** Answer of `create`: the only time the whole key is shown. */
export interface CreatedApiKey extends ApiKeyInfo {
  key: string
}
