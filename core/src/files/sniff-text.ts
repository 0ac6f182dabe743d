import { createReadStream } from 'node:fs'

/** Charsets a signature-less text upload may be in: Excel's "CSV UTF-8", or Chinese Windows' ANSI (GBK ⊂ GB18030). */
export type TextCharset = 'utf-8' | 'gb18030'

/**
 * C0 controls other than tab, line feed, form feed and carriage return, and DEL: text
 * written by people (and CSV written by spreadsheets) has none, binaries almost always do.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/

async function decodesAs(path: string, charset: TextCharset): Promise<boolean> {
  const decoder = new TextDecoder(charset, { fatal: true })
  let any = false
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      any ||= chunk.length > 0
      if (CONTROL.test(decoder.decode(chunk, { stream: true }))) return false
    }
    if (CONTROL.test(decoder.decode())) return false
  } catch (error) {
    if (error instanceof TypeError) return false // not valid in this charset
    throw error
  }
  return any
}

/**
 * The charset of a plain-text file, or null when the bytes are not text: empty, a NUL or
 * another control byte anywhere, or a sequence invalid in UTF-8 and in GB18030. The whole
 * file is read, so a binary cannot hide behind a text-looking first block.
 */
export async function textCharset(path: string): Promise<TextCharset | null> {
  if (await decodesAs(path, 'utf-8')) return 'utf-8'
  if (await decodesAs(path, 'gb18030')) return 'gb18030'
  return null
}
