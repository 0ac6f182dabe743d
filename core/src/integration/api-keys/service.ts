// Feathers wraps services with Object.create, so their methods cannot use #private members.
import { BadRequest, Forbidden, NotFound } from '@feathersjs/errors'
import type { HookContext, NextFunction, Params } from '@feathersjs/feathers'
import type { Action, Actor, Db } from '@medaffairs/plugin-sdk'
import type { AuditLog } from '../../audit/audit-log.js'
import { permissionFor } from '../../identity/acl.js'
import { generateKey, hashKey } from './secret.js'
import { publicInfo, type ApiKeyStore, type KeyChanges } from './store.js'
import type { ApiKeyInfo, ApiKeyRecord, CreatedApiKey } from './types.js'
import { validateKeyInput } from './validate.js'

type KeyParams = Params & { actor?: Actor; ip?: string }

export interface ApiKeysServiceDeps {
  db: Db
  store: ApiKeyStore
  audit: AuditLog
  pepper: string
  /** Whether a grant may name this collection. */
  knownCollection(name: string): boolean
}

const ACTION_OF: Record<string, Action> = {
  find: 'read',
  get: 'read',
  create: 'create',
  patch: 'update',
  remove: 'delete'
}

/**
 * Only the security administrator (等保 三权分立: access control is theirs) or whoever is
 * granted the action on `api_keys` may manage keys. An API key never may (it has no tier,
 * and grants on `api_keys` are refused when keys are made).
 */
export function keyAdminsOnly(actors: { fromContext(context: HookContext): Promise<Actor> }) {
  return async (context: HookContext, next: NextFunction): Promise<void> => {
    if (context.params.provider) {
      const actor = await actors.fromContext(context)
      const action = ACTION_OF[context.method] ?? 'update'
      const allowed =
        actor.kind === 'user' &&
        (actor.tiers.includes('security') || permissionFor(actor, 'api_keys', action, 'security').allowed)
      if (!allowed)
        throw new Forbidden(
          '仅安全管理员可管理 API 密钥 (only the security administrator may manage API keys)'
        )
    }
    await next()
  }
}

const UNIQUE_VIOLATION = '23505'

/**
 * `/api/api-keys`: create returns the whole key once (`ma_<prefix>_<secret>`); find and get
 * show the prefix only; patch changes name, scopes, allow list, rate and expiry; remove revokes.
 */
export class ApiKeysService {
  constructor(private readonly deps: ApiKeysServiceDeps) {}

  async find(
    params: KeyParams = {}
  ): Promise<{ total: number; limit: number; skip: number; data: ApiKeyInfo[] }> {
    const q = (params.query ?? {}) as Record<string, unknown>
    const limit = Math.min(Math.max(Number(q.$limit ?? 50) || 50, 1), 500)
    const skip = Math.max(Number(q.$skip ?? 0) || 0, 0)
    const status = typeof q.status === 'string' ? q.status : undefined
    if (status && !['active', 'expired', 'revoked'].includes(status))
      throw new BadRequest(
        'status 应为 active、expired 或 revoked (status must be active, expired or revoked)',
        { errors: [{ field: 'status', reason: 'enum' }] }
      )
    const { total, data } = await this.deps.store.list({ status, limit, skip })
    return { total, limit, skip, data: data.map(publicInfo) }
  }

  async get(id: string): Promise<ApiKeyInfo> {
    return publicInfo(await this.existing(id))
  }

  async create(data: unknown, params: KeyParams = {}): Promise<CreatedApiKey> {
    const input = validateKeyInput(data, false, this.deps.knownCollection) as Required<KeyChanges>
    return this.deps.db.transaction(async () => {
      const { key, record } = await this.insert(input, params.actor?.id ?? null)
      const { hash: _h, ...shown } = record
      await this.audit('create', record, params, {
        name: record.name,
        prefix: record.prefix,
        scopes: record.scopes,
        allowList: record.allowList,
        ratePerMinute: record.ratePerMinute,
        expiresAt: record.expiresAt
      })
      return { ...shown, key }
    })
  }

  async patch(id: string, data: unknown, params: KeyParams = {}): Promise<ApiKeyInfo> {
    const changes = validateKeyInput(data, true, this.deps.knownCollection)
    return this.deps.db.transaction(async () => {
      const before = await this.existing(id)
      if (before.revokedAt)
        throw new BadRequest('已吊销的密钥不能修改 (a revoked key cannot be changed)', {
          errors: [{ field: 'id', reason: 'revoked' }]
        })
      const after = (await this.deps.store.update(id, changes))!
      const diff = Object.fromEntries(
        Object.keys(changes).map((k) => [
          k,
          [before[k as keyof ApiKeyRecord], after[k as keyof ApiKeyRecord]]
        ])
      )
      await this.audit('patch', after, params, diff)
      return publicInfo(after)
    })
  }

  /** Revokes: the key stops working at once everywhere (every call re-reads it). */
  async remove(id: string, params: KeyParams = {}): Promise<ApiKeyInfo> {
    return this.deps.db.transaction(async () => {
      await this.existing(id)
      const revoked = (await this.deps.store.revoke(id, params.actor?.id ?? null))!
      await this.audit('remove', revoked, params, { revokedAt: revoked.revokedAt })
      return publicInfo(revoked)
    })
  }

  private async existing(id: string): Promise<ApiKeyRecord> {
    const found = typeof id === 'string' && id.length <= 64 ? await this.deps.store.get(id) : undefined
    if (!found) throw new NotFound('API 密钥不存在 (no such API key)')
    return found
  }

  /** A prefix collision (36^8 space) is retried with a new key rather than surfaced. */
  private async insert(
    input: Required<KeyChanges>,
    createdBy: string | null
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    for (let attempt = 0; ; attempt++) {
      const { prefix, key } = generateKey()
      try {
        const record = await this.deps.db.transaction(() =>
          this.deps.store.insert({ ...input, prefix, hash: hashKey(key, this.deps.pepper), createdBy })
        )
        return { key, record }
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 3) throw error
      }
    }
  }

  private async audit(
    action: 'create' | 'patch' | 'remove',
    key: ApiKeyRecord,
    params: KeyParams,
    diff: Record<string, unknown>
  ): Promise<void> {
    const actor = params.actor
      ? { id: params.actor.id, name: params.actor.name ?? params.actor.username }
      : null
    await this.deps.audit.append([
      { action, collection: 'api_keys', recordId: key.id, actor, ip: params.ip ?? null, diff }
    ])
  }
}
