/**
 * Tokens for the instant search. Chinese has no spaces, so each Han character is a token of
 * its own (typing any part of a label matches); other text splits on spaces and
 * punctuation. The same function tokenizes documents and queries.
 */
export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const piece of text.toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    if (!piece) continue
    for (const part of piece.split(/(\p{Script=Han})/u)) if (part) out.push(part)
  }
  return out
}

/** Every suffix of `parts` joined: ["shu","ju","zi","dian"] → shujuzidian juzidian zidian dian. */
export function joinedSuffixes(parts: string[]): string[] {
  return parts.map((_, i) => parts.slice(i).join('')).filter(Boolean)
}

export interface PinyinFields {
  /** Full pinyin of every Han run, joined from each syllable on: `zidian dian`. */
  pinyin: string
  /** Initials of every Han run, from each syllable on: `zd d`. */
  initials: string
}

/**
 * Pinyin tokens for a label, given a converter from a Han string to one syllable per
 * character (pinyin-pro, loaded lazily by the index). Suffixes make a search for the
 * middle of a name work as a prefix search: "zd" finds 数据字典 (sjzd) as well as 字典 (zd).
 */
export function pinyinFields(text: string, syllables: (han: string) => string[]): PinyinFields {
  const pinyin: string[] = []
  const initials: string[] = []
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const parts = syllables(run).map((s) =>
      s
        .toLowerCase()
        .replace(/[^a-zü]/g, '')
        .replace(/ü/g, 'v')
    )
    pinyin.push(...joinedSuffixes(parts))
    initials.push(...joinedSuffixes(parts.map((s) => s.charAt(0))))
  }
  return { pinyin: pinyin.join(' '), initials: initials.join(' ') }
}
