import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { feathers, type Application } from '@feathersjs/feathers'
import type { CollectionDefinition, Db } from '@medaffairs/plugin-sdk'
import {
  encryptionHook,
  MasterKey,
  openFieldCrypto,
  type EncryptionOptions,
  type FieldCrypto,
  type FieldCryptoOptions
} from '../../src/crypto/index.js'
import { DocumentService, ensureCollectionTable } from '../../src/storage/index.js'

/** Staff-like records: an ID number, a phone, a number and family details, all sensitive. */
export const PEOPLE: CollectionDefinition = {
  name: 'people',
  fields: [
    { name: 'name', type: 'string', filterable: true, sortable: true },
    { name: 'idNumber', type: 'string', sensitive: true, unique: true, label: { 'zh-CN': '身份证号' } },
    { name: 'mobile', type: 'string', sensitive: true },
    { name: 'salary', type: 'number', sensitive: true },
    { name: 'family', type: 'array', sensitive: true },
    { name: 'contact', type: 'object' },
    { name: 'contact.phone', type: 'string', sensitive: true }
  ]
}

/** 2048 bits: the minimum, and quicker to make than the 3072 of a real installation. */
let testKey: string | undefined
export function testMasterPem(): string {
  testKey ??= MasterKey.generate('test', 2048).toPem()
  return testKey
}

/** Keys given through MEDAFFAIRS_MASTER_KEY, so no file is written. */
export function envKeyOptions(extra: Partial<FieldCryptoOptions> = {}): FieldCryptoOptions {
  return { dataDir: '/nonexistent', env: { MEDAFFAIRS_MASTER_KEY: testMasterPem() }, refreshMs: 0, ...extra }
}

export interface Logged {
  lines: Array<{ level: string; msg: string }>
  logger: FieldCryptoOptions['logger']
}

export function captureLog(): Required<Logged> {
  const lines: Logged['lines'] = []
  const at = (level: string) => (msg: string) => void lines.push({ level, msg })
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } }
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'medaffairs-crypto-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export type Rec = Record<string, any>

/** A bare Feathers app: the DocumentService with the encryption hook and nothing else. */
export async function peopleApp(
  db: Db,
  crypto: FieldCrypto,
  def = PEOPLE,
  options?: EncryptionOptions
): Promise<Application> {
  await ensureCollectionTable(db, def)
  const app = feathers()
  app.use(
    def.name,
    new DocumentService({ db, definition: def, multi: true, paginate: { default: 50, max: 500 } })
  )
  app.service(def.name).hooks({ around: { all: [encryptionHook(def, crypto, options)] } })
  return app
}

export async function openTestCrypto(db: Db, extra: Partial<FieldCryptoOptions> = {}): Promise<FieldCrypto> {
  return openFieldCrypto(db, envKeyOptions(extra))
}

/** The raw stored documents, as text, straight from the table. */
export async function storedText(db: Db, table = 'c_people'): Promise<string[]> {
  return (await db.query<{ t: string }>(`SELECT doc::text AS t FROM ${table} ORDER BY id`)).rows.map(
    (r) => r.t
  )
}

export async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error('expected an error')
    },
    (e: unknown) => e
  )
}
