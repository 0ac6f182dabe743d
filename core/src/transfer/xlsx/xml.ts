/**
 * What text may not hold as is: the five characters XML escapes, and characters XML 1.0 does
 * not allow at all (C0 controls other than tab, line feed and carriage return, U+FFFE, U+FFFF,
 * and surrogates that are not part of a pair: with the `u` flag a pair is one code point and
 * does not match). A file with one of the latter is refused whole by Excel.
 */
const SPECIAL = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u
const SPECIALS = new RegExp(SPECIAL.source, 'gu')
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;'
}

/** Text for an XML element or a quoted attribute: escaped, characters XML cannot carry dropped. */
export function xmlText(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ESCAPES[c] ?? '') : s
}

/** `A`, `B`, … `Z`, `AA`: the letters of a 1-based column number. */
export function columnLetter(n: number): string {
  let out = ''
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out
  return out
}

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
