import { open, type FileHandle } from 'node:fs/promises'

/**
 * Old Office files (.doc, .xls) are Compound File Binary containers, and so are .msi,
 * .msg and .ppt: the magic bytes alone cannot tell a Word document from an installer. The
 * names of the top-level streams can: Word keeps `WordDocument`, Excel `Workbook` (or
 * `Book` before Excel 97). This reads just the directory sectors to find them.
 */
const MAX_DIRECTORY_SECTORS = 64
const END_OF_CHAIN = 0xfffffffe
const ENTRY_SIZE = 128
const HEADER_DIFAT_ENTRIES = 109

interface Header {
  shift: number
  firstDirSector: number
  difat: number[]
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await fh.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

function parseHeader(b: Buffer): Header | null {
  if (b.length < 512 || b.readUInt32LE(0) !== 0xe011cfd0 || b.readUInt32LE(4) !== 0xe11ab1a1) return null
  const shift = b.readUInt16LE(0x1e)
  if (shift !== 9 && shift !== 12) return null
  const difat = Array.from({ length: HEADER_DIFAT_ENTRIES }, (_, i) => b.readUInt32LE(0x4c + i * 4))
  return { shift, firstDirSector: b.readUInt32LE(0x30), difat }
}

async function nextSector(fh: FileHandle, h: Header, sector: number): Promise<number> {
  const perFatSector = (1 << h.shift) / 4
  const fatSector = h.difat[Math.floor(sector / perFatSector)]
  // Directories far beyond the first 109 FAT sectors (files over ~7 MB of FAT) are not followed.
  if (fatSector === undefined || fatSector >= END_OF_CHAIN) return END_OF_CHAIN
  const entry = await readAt(fh, ((fatSector + 1) << h.shift) + (sector % perFatSector) * 4, 4)
  return entry.length === 4 ? entry.readUInt32LE(0) : END_OF_CHAIN
}

function entryNames(sector: Buffer): string[] {
  const names: string[] = []
  for (let at = 0; at + ENTRY_SIZE <= sector.length; at += ENTRY_SIZE) {
    const length = sector.readUInt16LE(at + 0x40)
    if (length >= 2 && length <= 64) names.push(sector.toString('utf16le', at, at + length - 2))
  }
  return names
}

/** The stream and storage names in a compound file's directory (empty when it is not one). */
export async function compoundFileNames(path: string): Promise<string[]> {
  const fh = await open(path, 'r')
  try {
    const header = parseHeader(await readAt(fh, 0, 512))
    if (!header) return []
    const names: string[] = []
    const seen = new Set<number>()
    let sector = header.firstDirSector
    while (sector < END_OF_CHAIN && !seen.has(sector) && seen.size < MAX_DIRECTORY_SECTORS) {
      seen.add(sector)
      const size = 1 << header.shift
      names.push(...entryNames(await readAt(fh, (sector + 1) << header.shift, size)))
      sector = await nextSector(fh, header, sector)
    }
    return names
  } finally {
    await fh.close()
  }
}

/** `doc`, `xls`, or null for any other compound file. */
export async function officeKindOf(path: string): Promise<'doc' | 'xls' | null> {
  const names = new Set(await compoundFileNames(path))
  if (names.has('WordDocument')) return 'doc'
  if (names.has('Workbook') || names.has('Book')) return 'xls'
  return null
}
