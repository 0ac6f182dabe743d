// Encryption at rest: sensitive fields as AES-256-GCM ciphertext under versioned data keys
// wrapped by an RSA master key kept outside the database, with HMAC blind indexes for search.
export {
  openFieldCrypto,
  FieldCrypto,
  hasEncryptedData,
  type CryptoLogger,
  type FieldCryptoOptions
} from './field-crypto.js'
export { encryptionHook } from './hook.js'
export { encryptAdapter } from './adapter.js'
export { compileCodec, type Codec, type EncryptionOptions, type SensitiveField } from './codec.js'
export {
  BLIND_SUFFIX,
  blindIndexField,
  blindIndexName,
  blindIndexOf,
  defaultNormalizer,
  hasBlindIndex,
  normalize,
  type Normalizer,
  type NormalizerName
} from './blind-index.js'
export { isEncrypted, versionOf } from './format.js'
export { MasterKeyError, DecryptionError, KEY_SETTINGS } from './errors.js'
export {
  MasterKey,
  masterKeySource,
  readMasterKey,
  writeMasterKeyFile,
  type MasterKeySettings,
  type MasterKeySource
} from './master-key.js'
export { KeyRing } from './key-ring.js'
export { rotateDataKeys, rewrapMasterKey, type RotateOptions, type RotateReport } from './rotate.js'
