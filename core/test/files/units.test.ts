import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  contentDisposition,
  LocalStorageDriver,
  parseRange,
  resolveFilesConfig,
  sniffType
} from '../../src/files/index.js'
import { cleanName } from '../../src/files/receive.js'
import { UrlSigner } from '../../src/files/signed-url.js'
import { pdfBytes, pngBytes, sha256 } from './support.js'

/** A minimal compound file (512-byte sectors: header, one FAT sector, one directory sector). */
function compoundFile(streams: string[]): Buffer {
  const b = Buffer.alloc(512 * 3, 0)
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(b, 0)
  b.writeUInt16LE(0x3e, 0x18)
  b.writeUInt16LE(3, 0x1a)
  b.writeUInt16LE(0xfffe, 0x1c)
  b.writeUInt16LE(9, 0x1e)
  b.writeUInt16LE(6, 0x20)
  b.writeUInt32LE(1, 0x2c) // one FAT sector
  b.writeUInt32LE(1, 0x30) // the directory starts in sector 1
  b.writeUInt32LE(4096, 0x38)
  b.writeUInt32LE(0xfffffffe, 0x3c)
  b.writeUInt32LE(0xfffffffe, 0x44)
  for (let i = 0; i < 109; i++) b.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4)
  const fat = 512
  for (let i = 0; i < 128; i++) b.writeUInt32LE(0xffffffff, fat + i * 4)
  b.writeUInt32LE(0xfffffffd, fat) // sector 0 holds the FAT
  b.writeUInt32LE(0xfffffffe, fat + 4) // the directory is one sector long
  ;['Root Entry', ...streams].slice(0, 4).forEach((name, i) => {
    const at = 1024 + i * 128
    b.write(name, at, 'utf16le')
    b.writeUInt16LE((name.length + 1) * 2, at + 0x40)
    b.writeUInt8(i === 0 ? 5 : 2, at + 0x42)
  })
  return b
}

describe('files: the parts', () => {
  let dir: string
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'medaffairs-units-'))))
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('parses Range headers', () => {
    expect(parseRange(undefined, 100)).toBeNull()
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 })
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 })
    expect(parseRange('bytes=-20', 100)).toEqual({ start: 80, end: 99 })
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 })
    expect(parseRange('bytes=50-', 100)).toEqual({ start: 50, end: 99 })
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull() // several ranges: the whole body
    expect(parseRange('items=0-1', 100)).toBeNull()
    for (const bad of ['bytes=100-', 'bytes=9-3', 'bytes=-', 'bytes=a-b', 'bytes=-0'])
      expect(parseRange(bad, 100), bad).toBe('unsatisfiable')
    expect(parseRange('bytes=0-0', 0)).toBe('unsatisfiable')
  })

  it('writes Content-Disposition for any name', () => {
    expect(contentDisposition('attachment', 'report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`
    )
    expect(contentDisposition('inline', '手术"授权".xlsx')).toBe(
      `inline; filename="______.xlsx"; filename*=UTF-8''%E6%89%8B%E6%9C%AF%22%E6%8E%88%E6%9D%83%22.xlsx`
    )
    expect(cleanName('C:\\Users\\张三\\体检\u0007.pdf')).toBe('体检.pdf')
    expect(cleanName('')).toBe('file')
  })

  it('sniffs types from bytes, telling Word and Excel apart from other compound files', async () => {
    const put = async (name: string, bytes: Uint8Array) => {
      const path = join(dir, name)
      await writeFile(path, bytes)
      return sniffType(path)
    }
    expect(await put('a.bin', await pngBytes(4, 4))).toBe('png')
    expect(await put('b.bin', pdfBytes(300))).toBe('pdf')
    expect(await put('c.xls', compoundFile(['WordDocument', '1Table']))).toBe('doc')
    expect(await put('d.doc', compoundFile(['Workbook']))).toBe('xls')
    expect(await put('e.doc', compoundFile(['\u0005SummaryInformation', 'Installer']))).toBeNull()
    expect(await put('f.pdf', Buffer.from('just text'))).toBeNull()
  })

  it('stores blobs atomically under their hash, and reads ranges', async () => {
    const driver = new LocalStorageDriver(join(dir, 'store'))
    const bytes = pdfBytes(10_000, 9)
    const key = sha256(bytes)
    await driver.put(key, Readable.from([bytes.subarray(0, 4000), bytes.subarray(4000)]))
    expect(driver.pathOf(key)).toBe(join(dir, 'store', key.slice(0, 2), key.slice(2, 4), key))
    expect(await driver.size(key)).toBe(10_000)
    expect(await driver.exists(`${key}.thumb.webp`)).toBe(false)
    const chunks: Buffer[] = []
    for await (const c of (await driver.get(key, { start: 10, end: 19 })) as Readable)
      chunks.push(c as Buffer)
    expect(Buffer.concat(chunks).equals(bytes.subarray(10, 20))).toBe(true)
    expect(await readdir(driver.tempDir)).toEqual([])
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('partial')
        throw new Error('client went away')
      })()
    )
    await expect(driver.put('0'.repeat(64), failing)).rejects.toThrow('client went away')
    expect(await driver.exists('0'.repeat(64))).toBe(false)
    expect(await readdir(driver.tempDir)).toEqual([])
    expect(() => driver.pathOf('../../etc/passwd')).toThrow(/Invalid storage key/)
    await driver.remove(key)
    expect(await driver.exists(key)).toBe(false)
  })

  it('signs download links that cannot be altered', () => {
    const signer = new UrlSigner('secret')
    const claim = { fileId: 'f1', thumb: false, userId: 'u1', expires: 2_000_000_000_000 }
    const query = Object.fromEntries(new URLSearchParams(signer.sign(claim)))
    expect(signer.verify('f1', query, 1_000)).toEqual(claim)
    expect(signer.verify('f2', query, 1_000)).toBe('invalid')
    expect(signer.verify('f1', { ...query, uid: 'u2' }, 1_000)).toBe('invalid')
    expect(signer.verify('f1', { ...query, thumb: '1' }, 1_000)).toBe('invalid')
    expect(new UrlSigner('other').verify('f1', query, 1_000)).toBe('invalid')
    expect(signer.verify('f1', query, 3_000_000_000_000)).toBe('expired')
  })

  it('checks its configuration', () => {
    const c = resolveFilesConfig({ allow: ['jpg', 'pdf'] }, '/data')
    expect(c).toMatchObject({ dir: '/data/files', allow: ['jpeg', 'pdf'], maxBytes: 50 * 1024 * 1024 })
    expect(() => resolveFilesConfig({ allow: ['exe'] }, '/data')).toThrow(/unknown types: exe/)
  })
})
