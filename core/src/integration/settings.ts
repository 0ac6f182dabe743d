import type { RateLimitRule } from '../identity/rate-limit.js'

/** `integration` in config/: how API keys and the generated documentation behave. */
export interface IntegrationSettings {
  /**
   * How many reverse proxies in front of the server may be believed about the caller's
   * address (X-Forwarded-For). `false`/0 by default: a client could otherwise name any
   * address and walk past a key's allow list. `true` means one proxy.
   */
  trustProxy: boolean | number
  apiKeys: {
    /** Calls per minute a key may make unless the key says otherwise. */
    defaultRatePerMinute: number
    /** Failed key attempts per address before answering 429 (and no longer auditing each). */
    failuresPerAddress: RateLimitRule
    /** last_used_at / last_used_ip are written at most this often per key. */
    touchSeconds: number
    /** The server pepper of key hashes (API_KEY_PEPPER); generated and kept in the database when absent. */
    pepper: string | null
  }
  /** Serve /api/openapi.json and /api/docs. */
  docs: { enabled: boolean }
}

export const DEFAULT_SETTINGS: IntegrationSettings = {
  trustProxy: false,
  apiKeys: {
    defaultRatePerMinute: 600,
    failuresPerAddress: { points: 30, windowSeconds: 60 },
    touchSeconds: 60,
    pepper: null
  },
  docs: { enabled: true }
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }
export type IntegrationSettingsInput = DeepPartial<IntegrationSettings>

/** Fills what config/ leaves out with the defaults above. */
export function resolveSettings(
  input: IntegrationSettingsInput = {},
  env: NodeJS.ProcessEnv = process.env
): IntegrationSettings {
  const keys = { ...DEFAULT_SETTINGS.apiKeys, ...input.apiKeys }
  return {
    trustProxy: input.trustProxy ?? DEFAULT_SETTINGS.trustProxy,
    apiKeys: {
      ...keys,
      failuresPerAddress: {
        ...DEFAULT_SETTINGS.apiKeys.failuresPerAddress,
        ...input.apiKeys?.failuresPerAddress
      },
      pepper: keys.pepper ?? env.API_KEY_PEPPER ?? null
    },
    docs: { ...DEFAULT_SETTINGS.docs, ...input.docs }
  }
}

/** The number of proxy hops to believe. */
export function proxyHops(trustProxy: boolean | number): number {
  if (trustProxy === true) return 1
  if (typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy > 0) return trustProxy
  return 0
}
