import { createHash } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import NodeRSA from 'node-rsa'
import { MasterKeyError } from './errors.js'

/**
 * The RSA master key: it never touches the database, it only wraps (RSA-OAEP, SHA-256) the
 * data keys that do. Rotating it therefore re-wraps a handful of rows, not the data.
 */

export const MIN_MASTER_BITS = 2048
/** Generated keys: 3072 bits is NIST's level for use beyond 2030, and node-rsa makes one in < 1 s. */
export const NEW_MASTER_BITS = 3072
const OAEP = { scheme: 'pkcs1_oaep', hash: 'sha256' } as const

/** Where the master key comes from, in the order the environment overrides configuration. */
export type MasterKeySource =
  | { kind: 'env'; name: 'MEDAFFAIRS_MASTER_KEY'; pem: string }
  | { kind: 'file'; path: string; setting: string }

export interface MasterKeySettings {
  dataDir: string
  /** Config `crypto.masterKeyFile`; default `<dataDir>/keys/master.pem`. */
  masterKeyFile?: string | null
  env?: NodeJS.ProcessEnv
}

export function masterKeySource(s: MasterKeySettings): MasterKeySource {
  const env = s.env ?? process.env
  if (env.MEDAFFAIRS_MASTER_KEY)
    return { kind: 'env', name: 'MEDAFFAIRS_MASTER_KEY', pem: env.MEDAFFAIRS_MASTER_KEY }
  if (env.MEDAFFAIRS_MASTER_KEY_FILE) {
    return {
      kind: 'file',
      path: resolve(env.MEDAFFAIRS_MASTER_KEY_FILE),
      setting: 'MEDAFFAIRS_MASTER_KEY_FILE'
    }
  }
  if (s.masterKeyFile)
    return { kind: 'file', path: resolve(s.masterKeyFile), setting: 'crypto.masterKeyFile' }
  return {
    kind: 'file',
    path: join(resolve(s.dataDir), 'keys', 'master.pem'),
    setting: 'crypto.masterKeyFile (default)'
  }
}

export const describeSource = (src: MasterKeySource): string =>
  src.kind === 'env' ? src.name : `${src.path} (${src.setting})`

export class MasterKey {
  /** SHA-256 of the public key (SPKI DER), stored with each wrapped key to tell keys apart. */
  readonly fingerprint: string

  private constructor(
    private readonly rsa: NodeRSA,
    readonly origin: string
  ) {
    const spki = Buffer.from(rsa.exportKey('pkcs8-public-der'))
    this.fingerprint = createHash('sha256').update(spki).digest('hex').slice(0, 32)
  }

  static fromPem(pem: string, origin: string): MasterKey {
    let rsa: NodeRSA
    // An environment variable set from a .env file often carries the line breaks as `\n`.
    const text = pem.includes('\n') ? pem.trim() : pem.trim().replace(/\\n/g, '\n')
    try {
      rsa = new NodeRSA(text, undefined, { encryptionScheme: OAEP })
    } catch (error) {
      throw invalid(origin, `not a PEM RSA key (${(error as Error).message})`)
    }
    if (!rsa.isPrivate()) throw invalid(origin, 'a public key; the private key is needed')
    if (rsa.getKeySize() < MIN_MASTER_BITS)
      throw invalid(origin, `${rsa.getKeySize()} bits; at least ${MIN_MASTER_BITS} are needed`)
    return new MasterKey(rsa, origin)
  }

  static generate(origin: string, bits = NEW_MASTER_BITS): MasterKey {
    const rsa = new NodeRSA({ b: bits })
    rsa.setOptions({ encryptionScheme: OAEP })
    return new MasterKey(rsa, origin)
  }

  toPem(): string {
    return this.rsa.exportKey('pkcs8-private-pem')
  }

  wrap(key: Buffer): string {
    return this.rsa.encrypt(key, 'base64')
  }

  /** OAEP fails on a wrong key with overwhelming probability; the fingerprint is checked first. */
  unwrap(wrapped: string): Buffer {
    return Buffer.from(this.rsa.decrypt(Buffer.from(wrapped, 'base64')))
  }
}

function invalid(origin: string, why: string): MasterKeyError {
  return new MasterKeyError(
    'invalid',
    `主密钥无效：${origin} — ${why}`,
    `The master key from ${origin} is not usable: ${why}.`
  )
}

/** The key, or undefined when the source names a file that does not exist. */
export function readMasterKey(src: MasterKeySource, warn?: (msg: string) => void): MasterKey | undefined {
  if (src.kind === 'env') return MasterKey.fromPem(src.pem, src.name)
  if (!existsSync(src.path)) return undefined
  // A key others can read is a key others may have copied: say so loudly, but keep serving.
  const mode = statSync(src.path).mode & 0o777
  if (mode & 0o077 && warn) {
    warn(
      `主密钥文件权限过宽 (${mode.toString(8)})，请执行 chmod 600 ${src.path} (the master key file is readable by others; chmod 600 it)`
    )
  }
  return MasterKey.fromPem(readFileSync(src.path, 'utf8'), src.path)
}

/**
 * Writes a new key file with mode 0600 in a 0700 folder, atomically and only if none exists:
 * the temporary file is hard-linked into place, which fails if another process won the race,
 * and then that process's key is the one to use.
 */
export function writeMasterKeyFile(path: string, key: MasterKey): MasterKey {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, key.toPem(), { mode: 0o600, flag: 'w' })
  try {
    linkSync(tmp, path)
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return MasterKey.fromPem(readFileSync(path, 'utf8'), path)
  } finally {
    rmSync(tmp, { force: true })
  }
}
