/**
 * Whether the caller may start or act on this flow as far as its API key goes: a keyed call
 * only on the flows listed in the key's scopes.flows. Calls without a key are left to the
 * flow engine's own rules. For the flow engine (params.apiKey is set by the key gate).
 */
export function keyMayUseFlow(
  params: { apiKey?: { scopes?: { flows?: string[] } } },
  flowKey: string
): boolean {
  return !params.apiKey || (params.apiKey.scopes?.flows ?? []).includes(flowKey)
}
