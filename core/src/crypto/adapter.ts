import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import { compileCodec, decodeResult, encodeData, type Codec, type EncryptionOptions } from './codec.js'
import type { FieldCrypto } from './field-crypto.js'
import { rewriteQuery } from './query.js'

type Params = { query?: unknown } & Record<string, unknown>
type Fn = (...args: unknown[]) => Promise<unknown>

/** The adapter methods, with the positions of their data and params arguments. */
const METHODS: Record<string, { data?: number; params: number }> = {
  _find: { params: 0 },
  _get: { params: 1 },
  _create: { data: 0, params: 1 },
  _update: { data: 1, params: 2 },
  _patch: { data: 1, params: 2 },
  _remove: { params: 1 },
  _restore: { params: 1 },
  _purge: { params: 1 }
}

/**
 * Encryption at rest inside the adapter itself: whatever calls the adapter — every hook,
 * plugin validation, the recycle bin's restore and purge — sees clear values, and nothing
 * reaches the table unencrypted. Queries on sensitive fields are rewritten to their blind
 * indexes. The definition is read on each call, so a field newly marked sensitive applies at once.
 */
export function encryptAdapter(
  service: { definition: CollectionDefinition },
  crypto: FieldCrypto,
  options: EncryptionOptions = {}
): void {
  const codecs = new WeakMap<CollectionDefinition, Codec>()
  const codecOf = () => {
    let codec = codecs.get(service.definition)
    if (!codec) codecs.set(service.definition, (codec = compileCodec(service.definition, options)))
    return codec
  }
  const target = service as unknown as Record<string, Fn>
  for (const [method, at] of Object.entries(METHODS)) {
    const original = target[method].bind(service)
    target[method] = async (...args: unknown[]) => {
      const codec = codecOf()
      if (!codec.fields.length) return original(...args)
      const params = (args[at.params] ?? {}) as Params
      args[at.params] =
        params.query === undefined ? params : { ...params, query: rewriteQuery(codec, crypto, params.query) }
      if (at.data !== undefined && args[at.data] !== undefined)
        args[at.data] = encodeData(codec, crypto, args[at.data])
      return decodeResult(codec, crypto, await original(...args))
    }
  }
}
