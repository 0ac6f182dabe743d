import { authenticator } from 'otplib'

// 30-second steps, one step of clock drift either way.
authenticator.options = { window: 1 }

export function newTotpSecret(): string {
  return authenticator.generateSecret()
}

/** The otpauth:// URI an authenticator app scans (shown as a QR code). */
export function totpUri(secret: string, account: string, issuer = 'MedAffairs'): string {
  return authenticator.keyuri(account, issuer, secret)
}

export function verifyTotp(code: unknown, secret: string): boolean {
  return typeof code === 'string' && /^\d{6}$/.test(code) && authenticator.check(code, secret)
}
