import { Forbidden, NotAuthenticated, TooManyRequests, type FeathersError } from '@feathersjs/errors'
import type { Actor } from '@medaffairs/plugin-sdk'
import type { RateLimiter } from '../../identity/rate-limit.js'
import type { IntegrationSettings } from '../settings.js'
import { addressAllowed, normalizeAddress } from './address.js'
import { hashKey, parseKey, sameHash } from './secret.js'
import type { ApiKeyStore } from './store.js'
import type { ApiKeyRecord } from './types.js'

/** The key behind a refused call, kept off the wire (non-enumerable) for the audit trail. */
export const REFUSED_KEY = Symbol.for('medaffairs.apikey.refused')

export function refusedKey(error: unknown): ApiKeyRecord | undefined {
  return (error as { [REFUSED_KEY]?: ApiKeyRecord } | null)?.[REFUSED_KEY]
}

function tag<T extends FeathersError>(error: T, record: ApiKeyRecord): T {
  Object.defineProperty(error, REFUSED_KEY, { value: record, enumerable: false })
  return error
}

export interface AuthenticatorDeps {
  store: ApiKeyStore
  limiter: RateLimiter
  pepper: string
  settings: IntegrationSettings['apiKeys']
}

/** The principal id a key acts as, in records (created_by) and in the audit trail. */
export const principalId = (record: { id: string }) => `apikey:${record.id}`

/**
 * Checks a presented key: shape, hash (constant time), revocation, expiry, source address,
 * then the key's rate limit. Refusals say why; unknown keys say nothing more than "invalid".
 */
export class ApiKeyAuthenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async verify(presented: unknown, ip: string | null | undefined): Promise<ApiKeyRecord> {
    const parsed = parseKey(presented)
    const record = parsed ? await this.deps.store.byPrefix(parsed.prefix) : undefined
    const hash = hashKey(parsed?.key ?? '', this.deps.pepper)
    if (!sameHash(hash, record?.hash)) return this.#unknown(ip)
    const key = record!
    const address = normalizeAddress(ip)
    if (key.revokedAt)
      throw tag(new Forbidden('API 密钥已被吊销 (the API key has been revoked)', { reason: 'revoked' }), key)
    if (key.status === 'expired')
      throw tag(
        new Forbidden(`API 密钥已于 ${key.expiresAt} 过期 (the API key expired at ${key.expiresAt})`, {
          reason: 'expired'
        }),
        key
      )
    if (!addressAllowed(key.allowList, address)) {
      throw tag(
        new Forbidden(
          `来源地址 ${address ?? '未知'} 不在该密钥的允许列表中 (calls from ${address ?? 'an unknown address'} are not allowed for this key)`,
          { reason: 'address', address }
        ),
        key
      )
    }
    const rule = { points: key.ratePerMinute ?? this.deps.settings.defaultRatePerMinute, windowSeconds: 60 }
    const { allowed, retryAfterSeconds } = await this.deps.limiter.hit(`apikey:${key.id}`, rule)
    if (!allowed) {
      throw tag(
        new TooManyRequests(
          `调用过于频繁，请${retryAfterSeconds}秒后再试 (rate limit of ${rule.points}/min reached, retry in ${retryAfterSeconds} s)`,
          { reason: 'rate', retryAfter: retryAfterSeconds }
        ),
        key
      )
    }
    await this.#touch(key, address)
    return key
  }

  /** A wrong key; past the per-address budget the answer becomes 429 (and is not audited each time). */
  async #unknown(ip: string | null | undefined): Promise<never> {
    const { allowed, retryAfterSeconds } = await this.deps.limiter.hit(
      `apikey:fail:${normalizeAddress(ip) ?? 'unknown'}`,
      this.deps.settings.failuresPerAddress
    )
    if (!allowed)
      throw new TooManyRequests(
        `无效密钥尝试过多，请${retryAfterSeconds}秒后再试 (too many invalid keys, retry in ${retryAfterSeconds} s)`,
        { retryAfter: retryAfterSeconds }
      )
    throw new NotAuthenticated('API 密钥无效 (invalid API key)', { reason: 'invalid' })
  }

  /** At most once per `touchSeconds`, so a busy key does not write on every call. */
  async #touch(key: ApiKeyRecord, address: string | null): Promise<void> {
    const last = key.lastUsedAt ? Date.parse(key.lastUsedAt) : 0
    if (Date.now() - last >= this.deps.settings.touchSeconds * 1000)
      await this.deps.store.touch(key.id, address)
  }

  /** The Actor of a key: its grants, no department, no roles, no administrator tier. */
  actorOf(key: ApiKeyRecord): Actor {
    return {
      kind: 'apikey',
      id: principalId(key),
      name: key.name,
      username: `apikey:${key.prefix}`,
      deptId: null,
      deptSubtree: [],
      roles: [],
      grants: key.scopes.grants,
      tiers: []
    }
  }
}
