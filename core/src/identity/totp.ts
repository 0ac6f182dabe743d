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

const STEP_MS = 30_000

/**
 * The time step a code belongs to, or null when it is wrong. Callers accept a step only once
 * (see Credentials.useTotp), so a code seen over someone's shoulder cannot be replayed.
 */
export function totpStep(code: unknown, secret: string, now = Date.now()): number | null {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code) || !secret) return null
  const delta = authenticator.checkDelta(code, secret)
  return delta === null ? null : Math.floor(now / STEP_MS) + delta
}
