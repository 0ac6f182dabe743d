import { describe, expect, it } from 'vitest'
import { SearchIndex, type SearchEntry } from './search-index'
import { joinedSuffixes, tokenize } from './tokenize'

const entries: SearchEntry[] = [
  {
    id: 'menu:/dictionaries',
    kind: 'menu',
    href: '/dictionaries',
    label: { 'zh-CN': '数据字典', 'en-US': 'Dictionaries' }
  },
  {
    id: 'menu:/staff',
    kind: 'menu',
    href: '/staff',
    label: { 'zh-CN': '人员档案', 'en-US': 'Staff archives' }
  },
  {
    id: 'dictionary:title',
    kind: 'dictionary',
    href: '/dictionaries/title',
    label: { 'zh-CN': '职称', 'en-US': 'Titles' }
  },
  {
    id: 'item:title:chief',
    kind: 'item',
    href: '/dictionaries/title?item=chief',
    label: { 'zh-CN': '主任医师', 'en-US': 'Chief physician' }
  }
]
const index = new SearchIndex(entries)
const hrefs = (q: string) => index.search(q).map((h) => h.href)

describe('tokenize', () => {
  it('splits Chinese into characters and other text into words', () => {
    expect(tokenize('数据字典 Data-Dict')).toEqual(['数', '据', '字', '典', 'data', 'dict'])
  })

  it('joins every suffix', () => {
    expect(joinedSuffixes(['shu', 'ju', 'zi', 'dian'])).toEqual(['shujuzidian', 'juzidian', 'zidian', 'dian'])
  })
})

describe('SearchIndex', () => {
  it('finds by pinyin initials, also from the middle of a name', () => {
    expect(hrefs('sjzd')[0]).toBe('/dictionaries')
    expect(hrefs('zd')[0]).toBe('/dictionaries')
    expect(hrefs('zc')).toContain('/dictionaries/title')
  })

  it('finds by full pinyin and by its prefix', () => {
    expect(hrefs('zidian')[0]).toBe('/dictionaries')
    expect(hrefs('renyuan')[0]).toBe('/staff')
    expect(hrefs('zhuren')[0]).toBe('/dictionaries/title?item=chief')
  })

  it('finds by Chinese characters and by English words', () => {
    expect(hrefs('字典')[0]).toBe('/dictionaries')
    expect(hrefs('档案')[0]).toBe('/staff')
    expect(hrefs('dict')[0]).toBe('/dictionaries')
    expect(hrefs('physician')[0]).toBe('/dictionaries/title?item=chief')
  })

  it('returns nothing for a blank query or no match', () => {
    expect(hrefs('  ')).toEqual([])
    expect(hrefs('xyzzy')).toEqual([])
  })
})
