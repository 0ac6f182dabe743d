import MiniSearch from 'minisearch'
import { pinyin } from 'pinyin-pro'
import type { I18nText } from '$lib/i18n/i18n.svelte'
import { pinyinFields, tokenize } from './tokenize'

/**
 * The search index proper. This module is imported dynamically on first use so that
 * minisearch and pinyin-pro's dictionary stay out of the first page load.
 */

export type SearchKind = 'menu' | 'dictionary' | 'item'

export interface SearchEntry {
  id: string
  kind: SearchKind
  href: string
  label: I18nText
  /** Where the entry lives, e.g. the dictionary of an item. */
  context?: I18nText
}

export interface SearchHit extends SearchEntry {
  score: number
}

interface IndexedDoc extends SearchEntry {
  title: string
  pinyin: string
  initials: string
}

const KIND_BOOST: Record<SearchKind, number> = { menu: 1.5, dictionary: 1.2, item: 1 }

function syllables(han: string): string[] {
  return pinyin(han, { toneType: 'none', type: 'array', nonZh: 'removed' })
}

function toDoc(entry: SearchEntry): IndexedDoc {
  const texts = Object.values(entry.label).filter(Boolean) as string[]
  const han = texts.join(' ')
  return { ...entry, title: texts.join(' '), ...pinyinFields(han, syllables) }
}

export class SearchIndex {
  #mini = new MiniSearch<IndexedDoc>({
    fields: ['title', 'pinyin', 'initials'],
    storeFields: ['kind', 'href', 'label', 'context'],
    tokenize,
    searchOptions: {
      tokenize,
      prefix: true,
      combineWith: 'AND',
      fuzzy: (term) => (term.length > 4 ? 0.2 : false),
      boost: { title: 3, initials: 2, pinyin: 1 },
      boostDocument: (_id, _term, stored) => KIND_BOOST[(stored?.kind as SearchKind) ?? 'item']
    }
  })

  constructor(entries: SearchEntry[]) {
    const unique = new Map(entries.map((e) => [e.id, e]))
    this.#mini.addAll([...unique.values()].map(toDoc))
  }

  get size(): number {
    return this.#mini.documentCount
  }

  search(query: string, limit = 8): SearchHit[] {
    if (!query.trim()) return []
    return this.#mini
      .search(query)
      .slice(0, limit)
      .map((r) => ({
        id: String(r.id),
        kind: r.kind as SearchKind,
        href: r.href as string,
        label: r.label as I18nText,
        context: r.context as I18nText | undefined,
        score: r.score
      }))
  }
}
