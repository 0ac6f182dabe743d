import { Forbidden } from '@feathersjs/errors'
import { keyMayUseFlow } from '../integration/api-keys/flows.js'

type KeyParams = { apiKey?: { scopes?: { flows?: string[] } } }

/**
 * An API key may start, read and act on only the flows listed in its `scopes.flows`
 * (calls without a key are left to the engine's own rules). Every flow service applies it.
 */
export function checkKeyFlow(params: object, flowKey: string): void {
  if (!keyMayUseFlow(params as KeyParams, flowKey)) {
    throw new Forbidden(
      `API 密钥无权使用流程「${flowKey}」(the API key's scope does not include this flow)`,
      { flowKey }
    )
  }
}

/** Keeps the rows of flows the call's key may use (all of them for a call without a key). */
export function keyVisible<T>(params: object, rows: T[], flowKeyOf: (row: T) => string): T[] {
  return (params as KeyParams).apiKey
    ? rows.filter((r) => keyMayUseFlow(params as KeyParams, flowKeyOf(r)))
    : rows
}
