import type { HookContext, NextFunction } from '@feathersjs/feathers'
import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import { compileCodec, decodeResult, encodeData, type Codec, type EncryptionOptions } from './codec.js'
import type { FieldCrypto } from './field-crypto.js'
import { rewriteQuery } from './query.js'

const WRITES = new Set(['create', 'update', 'patch'])

/**
 * Encryption at rest for one collection, as an around hook that sits right around the adapter
 * (inside the records pipeline and the audit hook): on the way in it encrypts the sensitive
 * fields of create/update/patch data, sets their blind indexes, and rewrites conditions on
 * them in `params.query` (every method, including multi patch/remove filters); on the way out
 * it decrypts results (one record, a list, or a page) and drops the blind indexes.
 *
 * It runs for every caller, internal ones included: nothing sensitive is stored in clear,
 * whoever writes it. Hooks outside it see clear values; the query and data it replaced are
 * put back after the call, so they do too on the way out.
 *
 * The definition is read from the service (`DocumentService.definition`) on each call, so a
 * definition published later (a field newly marked sensitive) takes effect at once.
 */
export function encryptionHook(
  def: CollectionDefinition,
  crypto: FieldCrypto,
  options: EncryptionOptions = {}
) {
  const codecs = new WeakMap<CollectionDefinition, Codec>([[def, compileCodec(def, options)]])
  const codecOf = (d: CollectionDefinition) => {
    let codec = codecs.get(d)
    if (!codec) codecs.set(d, (codec = compileCodec(d, options)))
    return codec
  }
  return async (context: HookContext, next: NextFunction) => {
    const current = (context.service as { definition?: CollectionDefinition }).definition ?? def
    const codec = codecOf(current)
    if (!codec.fields.length) return next()
    const { query } = context.params
    const data = context.data as unknown
    const writes = WRITES.has(context.method) && data !== undefined
    if (query !== undefined) context.params.query = rewriteQuery(codec, crypto, query) as typeof query
    if (writes) context.data = encodeData(codec, crypto, data)
    try {
      await next()
    } finally {
      if (query !== undefined) context.params.query = query
      if (writes) context.data = data
    }
    if (context.result !== undefined) context.result = await decodeResult(codec, crypto, context.result)
  }
}
