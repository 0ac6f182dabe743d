import { BlockList, isIP } from 'node:net'

/** `::ffff:10.1.2.3` (IPv4 on a dual-stack socket) is the IPv4 address `10.1.2.3`. */
export function normalizeAddress(ip: string | null | undefined): string | null {
  if (!ip) return null
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  const plain = mapped ? mapped[1] : ip.replace(/^\[|\]$/g, '').split('%')[0]
  return isIP(plain) ? plain : null
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a single address; undefined when malformed. */
export function parseCidr(
  entry: string
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [addr, bits, extra] = entry.trim().split('/')
  if (extra !== undefined) return undefined
  const version = isIP(addr)
  if (!version) return undefined
  const max = version === 4 ? 32 : 128
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN
  if (!(prefix >= 0 && prefix <= max)) return undefined
  return { address: addr, prefix, family: version === 4 ? 'ipv4' : 'ipv6' }
}

/** Whether `ip` is inside one of the CIDRs; an empty list allows every address. */
export function addressAllowed(allowList: readonly string[], ip: string | null | undefined): boolean {
  if (!allowList.length) return true
  const address = normalizeAddress(ip)
  if (!address) return false
  const list = new BlockList()
  for (const entry of allowList) {
    const cidr = parseCidr(entry)
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family)
  }
  return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6')
}
