import type { IncomingMessage } from 'node:http'
import type { Params } from '@feathersjs/feathers'
import {
  AuthenticationBaseStrategy,
  type AuthenticationRequest,
  type AuthenticationResult
} from '@feathersjs/authentication'
import { principalId, type ApiKeyAuthenticator } from './authenticator.js'
import { publicInfo } from './store.js'

export const API_KEY_HEADER = 'x-api-key'

/**
 * `X-API-Key: ma_…` on REST, `{ strategy: 'apikey', apiKey }` on a socket. The result
 * carries the key's Actor, so the records pipeline needs no user and no role lookup.
 */
export class ApiKeyStrategy extends AuthenticationBaseStrategy {
  constructor(private readonly keys: ApiKeyAuthenticator) {
    super()
  }

  async parse(req: IncomingMessage): Promise<AuthenticationRequest | null> {
    const header = req.headers[API_KEY_HEADER]
    const value = Array.isArray(header) ? header[0] : header
    return value ? { strategy: this.name ?? 'apikey', apiKey: value } : null
  }

  async authenticate(
    data: AuthenticationRequest,
    params: Params & { ip?: string }
  ): Promise<AuthenticationResult> {
    const record = await this.keys.verify(data.apiKey, params.ip)
    const actor = this.keys.actorOf(record)
    return {
      authentication: { strategy: this.name ?? 'apikey', keyId: record.id },
      apiKey: publicInfo(record),
      actor,
      // Stamps created_by/updated_by; it has no roles, so user-only guards still refuse it.
      user: {
        id: principalId(record),
        name: record.name,
        username: actor.username,
        kind: 'apikey',
        roles: [],
        status: 'active'
      }
    }
  }
}
