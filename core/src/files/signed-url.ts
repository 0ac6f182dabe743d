import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Short-lived download links for places that cannot send an Authorization header (`<img>`,
 * `<a download>`): the link names the file, the variant, the user it was issued to and its
 * expiry, signed with a server secret shared by every instance. Whoever holds the link acts
 * as that user for that one file until it expires; the permission is checked again on use.
 */
export interface SignedClaim {
  fileId: string
  thumb: boolean
  userId: string
  /** Expiry, Unix milliseconds. */
  expires: number
}

export class UrlSigner {
  constructor(private readonly secret: string) {}

  #mac(c: SignedClaim): Buffer {
    return createHmac('sha256', this.secret)
      .update(`file-url\n${c.fileId}\n${c.thumb ? 1 : 0}\n${c.userId}\n${c.expires}`)
      .digest()
  }

  /** The query string (without `?`) that authorizes `claim`. */
  sign(claim: SignedClaim): string {
    const q = new URLSearchParams({
      uid: claim.userId,
      exp: String(claim.expires),
      sig: this.#mac(claim).toString('base64url')
    })
    if (claim.thumb) q.set('thumb', '1')
    return q.toString()
  }

  /** The claim of a signed query, or why it is refused. */
  verify(
    fileId: string,
    query: Record<string, unknown>,
    now = Date.now()
  ): SignedClaim | 'invalid' | 'expired' {
    const { uid, exp, sig } = query
    if (
      typeof uid !== 'string' ||
      typeof exp !== 'string' ||
      typeof sig !== 'string' ||
      !/^\d{1,16}$/.test(exp)
    )
      return 'invalid'
    const claim: SignedClaim = { fileId, thumb: query.thumb === '1', userId: uid, expires: Number(exp) }
    const given = Buffer.from(sig, 'base64url')
    const expected = this.#mac(claim)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid'
    return claim.expires < now ? 'expired' : claim
  }
}
