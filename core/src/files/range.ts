/** An inclusive byte range, as HTTP counts them. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * Parses a `Range` header against a body of `size` bytes (RFC 9110 §14.1.2):
 * `bytes=0-99`, `bytes=100-`, `bytes=-500` (the last 500). Answers null to serve the whole
 * body (no header, another unit, or several ranges, which we do not assemble), or
 * 'unsatisfiable' for a malformed range or one that starts past the end (→ 416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header)
  if (!match) return null
  const specs = match[1].split(',').map((s) => s.trim())
  if (specs.length > 1) return null
  const spec = /^(\d*)-(\d*)$/.exec(specs[0])
  if (!spec || (spec[1] === '' && spec[2] === '')) return 'unsatisfiable'
  if (spec[1] === '') {
    const suffix = Number(spec[2])
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(spec[1])
  const end = spec[2] === '' ? size - 1 : Math.min(Number(spec[2]), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}

/** `Content-Disposition` with the real (e.g. Chinese) name for modern browsers and an ASCII fallback (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
