import { GeneralError } from '@feathersjs/errors'

/** The settings an operator can use to give the master key; every message names them. */
export const KEY_SETTINGS =
  'MEDAFFAIRS_MASTER_KEY_FILE（PEM 文件路径 path of the PEM file）, MEDAFFAIRS_MASTER_KEY（PEM 内容 the PEM itself）, crypto.masterKeyFile（配置 config）'

/**
 * A problem with the master key or the key table that must stop start-up: the server would
 * otherwise run without being able to read (or, worse, while re-keying) the encrypted data.
 * Messages are Chinese first, English second, like every operator-facing message.
 */
export class MasterKeyError extends Error {
  constructor(
    readonly reason: 'missing' | 'mismatch' | 'invalid' | 'orphaned-data',
    zh: string,
    en: string
  ) {
    super(`${zh}\n${en}\n可用设置 Settings: ${KEY_SETTINGS}`)
    this.name = 'MasterKeyError'
  }
}

/**
 * A stored value that cannot be decrypted: altered ciphertext, a value moved from another
 * field, or a key version this server does not have. A 500, never a silent null: a record
 * that does not verify is an integrity incident (等保 requires it to be noticed).
 */
export class DecryptionError extends GeneralError {
  constructor(
    info: { collection: string; field: string; id?: unknown; reason: 'tampered' | 'unknown-version' },
    detail: string
  ) {
    const where = `${info.collection}.${info.field}${info.id === undefined ? '' : ` (id ${String(info.id)})`}`
    super(
      `无法解密 ${where}：${info.reason === 'tampered' ? '密文已被篡改或与字段不匹配' : '找不到对应版本的数据密钥'} (cannot decrypt ${where}: ${detail})`,
      {
        reason: 'decrypt',
        cause: info.reason,
        collection: info.collection,
        field: info.field,
        id: info.id === undefined ? undefined : String(info.id)
      }
    )
  }
}
