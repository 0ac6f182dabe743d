import { graphemes, maskBankCard, maskEmail, maskName, maskPositions } from './mask-parts.js'
import { maskAddress, maskLandline, maskMobile } from './mask-phone-address.js'

export type MaskKind =
  'name' | 'id_number' | 'mobile' | 'landline' | 'email' | 'bank_card' | 'address' | 'keep'
export const MASK_KINDS: readonly MaskKind[] = [
  'name',
  'id_number',
  'mobile',
  'landline',
  'email',
  'bank_card',
  'address',
  'keep'
]

/**
 * How to mask one field. `first` / `last` count visible characters to keep where the kind
 * uses them: `keep` (default 0 / 0), `id_number` (6 / 4), `mobile` (3 / 4), `bank_card`
 * (0 / 4) and `landline` (`last` only, default 2, after the area code). `name`, `email` and
 * `address` have fixed shapes. `char` is the mask character, `*` by default.
 */
export interface MaskRule {
  kind: MaskKind
  first?: number
  last?: number
  char?: string
}

/**
 * Default rules by common field name (DOMAIN.md §6, editable defaults). `phone` is taken for a
 * landline; a field holding mobiles should use `mobile`. Frozen: copy before changing.
 */
export const DEFAULT_MASK_RULES: Readonly<Record<string, Readonly<MaskRule>>> = Object.freeze({
  name: Object.freeze({ kind: 'name' }),
  idNumber: Object.freeze({ kind: 'id_number', first: 6, last: 4 }),
  mobile: Object.freeze({ kind: 'mobile', first: 3, last: 4 }),
  phone: Object.freeze({ kind: 'landline', last: 2 }),
  email: Object.freeze({ kind: 'email' }),
  bankCard: Object.freeze({ kind: 'bank_card', last: 4 }),
  address: Object.freeze({ kind: 'address' })
} satisfies Record<string, MaskRule>)

/**
 * Masks a value for display or export. Non-strings and blank strings come back unchanged;
 * a value too short for the rule is masked entirely rather than shown whole. An unknown
 * kind (e.g. from a hand-edited config) masks everything.
 */
export function maskValue(value: string, rule: MaskRule): string
export function maskValue<T>(value: T, rule: MaskRule): T | string
export function maskValue(value: unknown, rule: MaskRule): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value
  const mask = typeof rule.char === 'string' && rule.char !== '' ? rule.char : '*'
  const first = (fallback: number) => count(rule.first, fallback)
  const last = (fallback: number) => count(rule.last, fallback)
  switch (rule.kind) {
    case 'name':
      return maskName(value, mask)
    case 'id_number':
      return maskPositions(graphemes(value), first(6), last(4), mask, (c) => !/^\s$/u.test(c)).join('')
    case 'mobile':
      return maskMobile(value, first(3), last(4), mask)
    case 'landline':
      return maskLandline(value, last(2), mask)
    case 'email':
      return maskEmail(value, mask)
    case 'bank_card':
      return maskBankCard(value, first(0), last(4), mask)
    case 'address':
      return maskAddress(value, mask)
    case 'keep':
      return maskPositions(graphemes(value), first(0), last(0), mask).join('')
    default:
      return mask.repeat(graphemes(value).length)
  }
}

// A missing count takes the kind's default; a nonsensical one (negative, NaN) reveals nothing.
function count(n: number | undefined, fallback: number): number {
  if (n === undefined) return fallback
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0
}
