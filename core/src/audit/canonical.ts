/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalJson((value as { toJSON(): unknown }).toJSON())
  // Loops and string concatenation rather than map/filter/join: the trail writes one of these per record written.
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i])
    return out + ']'
  }
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).sort()
  let out = '{'
  for (const k of keys) {
    if (obj[k] === undefined) continue
    out += (out.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + canonicalJson(obj[k])
  }
  return out + '}'
}
