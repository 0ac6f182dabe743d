import { UnsupportedMediaType } from './errors.js'
import { fileTypeFromFile } from 'file-type'
import { officeKindOf } from './cfb.js'
import { KNOWN_TYPES } from './config.js'
import { textCharset } from './sniff-text.js'

/** file-type's extension → our allow-list name. */
const BY_EXT: Record<string, string> = {
  jpg: 'jpeg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  zip: 'zip'
}

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

/**
 * The allow-list name and the MIME type to store. Text has no signature: only when `csv` is
 * allowed, and only when no signature matched, are the bytes read as text (UTF-8 or GB18030,
 * no control bytes), and the charset found is kept in the MIME type.
 */
async function detect(
  path: string,
  allow: readonly string[]
): Promise<{ kind: string; mime: string } | null> {
  const found = await fileTypeFromFile(path)
  if (found) {
    const kind = found.ext === 'cfb' ? await officeKindOf(path) : (BY_EXT[found.ext] ?? null)
    return kind ? { kind, mime: KNOWN_TYPES[kind].mime } : null
  }
  if (!allow.includes('csv')) return null
  const charset = await textCharset(path)
  return charset ? { kind: 'csv', mime: `${KNOWN_TYPES.csv.mime}; charset=${charset}` } : null
}

/** Sniffs and checks against the allow list; answers the MIME type to store, or refuses with 415. */
export async function checkType(
  path: string,
  allow: readonly string[]
): Promise<{ kind: string; mime: string }> {
  const type = await detect(path, allow)
  if (!type || !allow.includes(type.kind)) {
    const allowed = allow.map((n) => KNOWN_TYPES[n].ext).join(', ')
    throw new UnsupportedMediaType(
      `不支持的文件类型，仅允许：${allowed} (file type not allowed; allowed: ${allowed})`,
      { allowed: allow, detected: type?.kind ?? null }
    )
  }
  return type
}
