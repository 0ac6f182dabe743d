import { describe, expect, it } from 'vitest'
import { addressAllowed, normalizeAddress, parseCidr } from '../../src/integration/api-keys/address.js'
import { generateKey, hashKey, parseKey, sameHash } from '../../src/integration/api-keys/secret.js'
import { proxyHops, resolveSettings } from '../../src/integration/settings.js'

describe('API key parts', () => {
  it('matches IPv4 and IPv6 CIDRs, IPv4-mapped addresses and refuses what it cannot parse', () => {
    const list = ['10.1.2.0/24', '192.168.0.7', '2001:db8::/32', 'fe80::1/128']
    expect(addressAllowed(list, '10.1.2.200')).toBe(true)
    expect(addressAllowed(list, '::ffff:10.1.2.9')).toBe(true)
    expect(addressAllowed(list, '10.1.3.1')).toBe(false)
    expect(addressAllowed(list, '192.168.0.7')).toBe(true)
    expect(addressAllowed(list, '192.168.0.8')).toBe(false)
    expect(addressAllowed(list, '2001:db8:ffff::1')).toBe(true)
    expect(addressAllowed(list, '2001:db9::1')).toBe(false)
    expect(addressAllowed(list, 'fe80::1')).toBe(true)
    expect(addressAllowed(list, null)).toBe(false)
    expect(addressAllowed(list, 'not an address')).toBe(false)
    expect(addressAllowed([], '8.8.8.8')).toBe(true) // an empty list allows any address
    expect(normalizeAddress('[::1]')).toBe('::1')
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/8/1', 'x/8', '10.0.0.0/'])
      expect(parseCidr(bad), bad).toBeUndefined()
  })

  it('makes keys of 8 + 43 characters and compares peppered hashes', () => {
    const { prefix, key } = generateKey()
    expect(parseKey(key)).toEqual({ prefix, key })
    for (const bad of ['', 'ma_short_x', key + 'x', key.replace('ma_', 'mb_'), 42])
      expect(parseKey(bad)).toBeUndefined()
    const h = hashKey(key, 'pepper')
    expect(h).not.toContain(key.slice(12))
    expect(sameHash(h, h)).toBe(true)
    expect(sameHash(h, hashKey(key, 'other pepper'))).toBe(false)
    expect(sameHash(h, undefined)).toBe(false)
    expect(new Set(Array.from({ length: 50 }, () => generateKey().prefix)).size).toBe(50)
  })

  it('trusts no proxy unless told, and fills settings with defaults', () => {
    expect([proxyHops(false), proxyHops(true), proxyHops(2), proxyHops(-1), proxyHops(1.5)]).toEqual([
      0, 1, 2, 0, 0
    ])
    const s = resolveSettings({ apiKeys: { defaultRatePerMinute: 10 } }, {})
    expect(s).toMatchObject({
      trustProxy: false,
      apiKeys: {
        defaultRatePerMinute: 10,
        touchSeconds: 60,
        failuresPerAddress: { points: 30 },
        pepper: null
      },
      docs: { enabled: true }
    })
    expect(resolveSettings({}, { API_KEY_PEPPER: 'p' }).apiKeys.pepper).toBe('p')
  })
})
