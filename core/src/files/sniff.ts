import { UnsupportedMediaType } from './errors.js'
import { fileTypeFromFile } from 'file-type'
import { officeKindOf } from './cfb.js'
import { KNOWN_TYPES } from './config.js'

/** file-type's extension → our allow-list name. */
const BY_EXT: Record<string, string> = { jpg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', zip: 'zip' }

/**
 * What the bytes are, by their signature (and, for zip and compound files, their
 * structure): the allow-list name, or null when unknown. The file name and the type the
 * browser claimed are never consulted: a renamed .exe is still an .exe.
 */
export async function sniffType(path: string): Promise<string | null> {
  const found = await fileTypeFromFile(path)
  if (!found) return null
  if (found.ext === 'cfb') return officeKindOf(path)
  return BY_EXT[found.ext] ?? null
}

/** Sniffs and checks against the allow list; answers the MIME type to store, or refuses with 415. */
export async function checkType(path: string, allow: readonly string[]): Promise<{ kind: string; mime: string }> {
  const kind = await sniffType(path)
  if (!kind || !allow.includes(kind)) {
    const allowed = allow.map((n) => KNOWN_TYPES[n].ext).join(', ')
    throw new UnsupportedMediaType(`不支持的文件类型，仅允许：${allowed} (file type not allowed; allowed: ${allowed})`, { allowed: allow, detected: kind })
  }
  return { kind, mime: KNOWN_TYPES[kind].mime }
}
