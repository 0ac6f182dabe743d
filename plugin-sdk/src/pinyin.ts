import { pinyin } from 'pinyin-pro'

// Searches run over every name on each keystroke; names repeat, so their keys are kept.
const MAX_CACHED = 20_000
const cache = new Map<string, [string, string]>()

/** Full pinyin and initials of a name: 王晓东 → `wangxiaodong`, `wxd`. */
export function pinyinKeys(name: string): [string, string] {
  const known = cache.get(name)
  if (known) return known
  if (cache.size >= MAX_CACHED) cache.clear()
  const keys = keysOf(name)
  cache.set(name, keys)
  return keys
}

function keysOf(name: string): [string, string] {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).map((s) =>
    s
      .toLowerCase()
      .replace(/ü/g, 'v')
      .replace(/[^a-z0-9]/g, '')
  )
  return [syllables.join(''), syllables.map((s) => s.charAt(0)).join('')]
}

/** Whether a search text is worth matching against pinyin (Latin letters only: `wxd`, `wangxiao`). */
export const isPinyinQuery = (text: string): boolean => /^[a-z]+$/i.test(text)

/** Whether a name's full pinyin or initials contain a (lower-case) pinyin query. */
export const pinyinMatches = (name: string, needle: string): boolean =>
  pinyinKeys(name).some((k) => k.includes(needle))
