/**
 * The building blocks of masking. Everything works on grapheme clusters, so one masked
 * character stands for one visible character (汉字, 𠮷, é written as e + accent, 👩‍⚕️).
 */

const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : undefined

/**
 * Printable ASCII, CJK punctuation and ideographs, and full-width forms never join their
 * neighbours into one cluster, so such a value (most names, numbers and phones here) is split
 * per code unit without the segmenter, which costs ten times more.
 */
const SIMPLE = /^[\x20-\x7e\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]*$/

export function graphemes(s: string): string[] {
  if (!segmenter || SIMPLE.test(s)) return s.split('')
  return Array.from(segmenter.segment(s), (x) => x.segment)
}

/**
 * Keeps the first `first` and last `last` of the characters `counts` selects and masks the
 * others; characters it does not select (separators) stay. When the kept ones would be all
 * of them, everything is masked: a short value must not come out whole.
 */
export function maskPositions(
  chars: readonly string[],
  first: number,
  last: number,
  mask: string,
  counts: (c: string) => boolean = () => true
): string[] {
  const positions = chars.flatMap((c, i) => (counts(c) ? [i] : []))
  const reveal = first + last < positions.length
  const kept = new Set(
    reveal ? [...positions.slice(0, first), ...positions.slice(positions.length - last)] : []
  )
  return chars.map((c, i) => (counts(c) && !kept.has(i) ? mask : c))
}

/** Spaces, dashes, dots and brackets inside phone numbers: kept so the shape stays readable. */
export const isPhoneDigit = (c: string): boolean => !/^[\s\-().]$/u.test(c)

const CHINESE_NAME_SEPARATORS = /^[\s·•・.\-'’]$/u

// 复姓. Simplified and traditional forms; a name of three or more characters starting with
// one of these keeps both characters of the surname.
export const COMPOUND_SURNAMES: readonly string[] = (
  '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 ' +
  '百里 呼延 万俟 闻人 赫连 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 仲孙 鲜于 闾丘 司空 ' +
  '亓官 司寇 子车 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 段干 东郭 南门 羊舌 微生 梁丘 ' +
  '左丘 东门 第五 公羊 公西 申屠 ' +
  '歐陽 司馬 諸葛 東方 長孫 軒轅 獨孤 南宮 萬俟 聞人 澹臺 濮陽 單于 鍾離 鮮于 閭丘 顓孫 壤駟 ' +
  '樂正 穀梁 夾谷 東郭 東門 尉遲 公孫 仲孫'
)
  .split(' ')
  .filter((s, i, all) => s !== '' && all.indexOf(s) === i)

const COMPOUND_SET = new Set(COMPOUND_SURNAMES)

/**
 * 张三 → 张*, 张三明 → 张*明, 欧阳娜娜 → 欧阳**; names in words (John Smith, 买买提·艾力)
 * keep the first letter of each word.
 */
export function maskName(value: string, mask: string): string {
  const chars = graphemes(value)
  const hasSeparator = chars.some((c) => CHINESE_NAME_SEPARATORS.test(c))
  if (hasSeparator || !/^\p{Script=Han}/u.test(chars[0] ?? '')) return maskWords(chars, mask)
  const n = chars.length
  const surname = n >= 3 && COMPOUND_SET.has(chars[0] + chars[1]) ? 2 : 1
  // Compound surname: the given name is short, so all of it goes. 3+ with one: keep the last.
  const keepLast = surname === 1 && n >= 3 ? 1 : 0
  return maskPositions(chars, surname, keepLast, mask).join('')
}

function maskWords(chars: readonly string[], mask: string): string {
  const out = chars.map((c, i) => {
    if (CHINESE_NAME_SEPARATORS.test(c)) return c
    const startsWord = i === 0 || CHINESE_NAME_SEPARATORS.test(chars[i - 1])
    return startsWord ? c : mask
  })
  // Initials only ("J. S."): showing each first letter would show everything.
  if (out.every((c, i) => c === chars[i]))
    return maskPositions(chars, 0, 0, mask, (c) => !CHINESE_NAME_SEPARATORS.test(c)).join('')
  return out.join('')
}

/** z***@hospital.cn: the length of the local part is hidden, the domain shown. */
export function maskEmail(value: string, mask: string): string {
  const at = value.lastIndexOf('@')
  const local = graphemes(at < 0 ? value : value.slice(0, at))
  const domain = at < 0 ? '' : value.slice(at)
  const head = local.length > 1 ? local[0] : ''
  return head + mask.repeat(3) + domain
}

/** Bank cards: the kept digits, the rest masked, grouped in fours from the right (**** 0123). */
export function maskBankCard(value: string, first: number, last: number, mask: string): string {
  const chars = graphemes(value).filter((c) => !/^[\s-]$/u.test(c))
  const masked = maskPositions(chars, first, last, mask)
  const groups: string[] = []
  for (let end = masked.length; end > 0; end -= 4)
    groups.unshift(masked.slice(Math.max(0, end - 4), end).join(''))
  return groups.join(' ')
}
