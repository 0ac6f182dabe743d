// Privacy helpers shared by the server and the web app: no Node-only APIs in this folder.
export type { BilingualText } from './text.js'
export { PROVINCE_CODES, HMT_REGIONS } from './text.js'
export { idCheckChar, type Sex } from './gb11643.js'
export {
  parseIdNumber,
  detectIdType,
  upgradeTo18,
  ID_TYPES,
  type IdType,
  type ParsedId,
  type IdParseFailure,
  type IdParseResult,
  type ParseIdOptions
} from './id-number.js'
export { maskValue, DEFAULT_MASK_RULES, MASK_KINDS, type MaskKind, type MaskRule } from './masking.js'
export { COMPOUND_SURNAMES } from './mask-parts.js'
export { checkIssn, checkCnNumber, issnCheckDigit, type JournalCodeCheck } from './journal.js'
