import zhCN from './zh-CN.json'
import enUS from './en-US.json'

export const LOCALES = ['zh-CN', 'en-US'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

/** Text in several languages, as the server sends labels and names. */
export type I18nText = Partial<Record<Locale, string>>
export type Messages = Record<string, string>
export type Params = Record<string, string | number>

const STORAGE_KEY = 'medaffairs.locale'
/** Feature areas add their own catalogs as `messages/<area>.<locale>.json`, merged here. */
const AREAS = import.meta.glob('./messages/*.json', { eager: true, import: 'default' }) as Record<
  string,
  Messages
>
const areaMessages = (locale: string): Messages =>
  Object.assign(
    {},
    ...Object.entries(AREAS)
      .filter(([path]) => path.endsWith(`.${locale}.json`))
      .map(([, m]) => m)
  )
const BASE: Record<Locale, Messages> = {
  'zh-CN': { ...zhCN, ...areaMessages('zh-CN') },
  'en-US': { ...enUS, ...areaMessages('en-US') }
}

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/**
 * The current language and the message catalog: the app's own messages plus those the
 * enabled plugins ship in the manifest. Simplified Chinese first, then English; a key
 * missing in both shows as itself so a gap is visible rather than blank.
 */
class I18n {
  #locale = $state<Locale>(DEFAULT_LOCALE)
  #plugin = $state<Record<Locale, Messages>>({ 'zh-CN': {}, 'en-US': {} })

  constructor() {
    if (typeof localStorage !== 'undefined') {
      const saved = localStorage.getItem(STORAGE_KEY)
      if (isLocale(saved)) this.#locale = saved
    }
    this.#applyToDocument()
  }

  get locale(): Locale {
    return this.#locale
  }

  set locale(value: Locale) {
    if (!isLocale(value)) return
    this.#locale = value
    try {
      localStorage.setItem(STORAGE_KEY, value)
    } catch {
      // Private mode or storage disabled: the choice lasts for this page only.
    }
    this.#applyToDocument()
  }

  /** Replaces the plugin messages (from the manifest). The app's own keys win on a clash. */
  setPluginMessages(messages: Partial<Record<Locale, Messages>> | undefined): void {
    this.#plugin = { 'zh-CN': { ...messages?.['zh-CN'] }, 'en-US': { ...messages?.['en-US'] } }
  }

  /** Whether a key has a message in any language. */
  has = (key: string): boolean => LOCALES.some((l) => key in BASE[l] || key in this.#plugin[l])

  /** The message for `key` in the current language, with `{name}` placeholders filled. */
  t = (key: string, params?: Params): string => {
    for (const locale of [this.#locale, DEFAULT_LOCALE, 'en-US'] as const) {
      const text = BASE[locale][key] ?? this.#plugin[locale][key]
      if (text !== undefined) return interpolate(text, params)
    }
    return key
  }

  /** The app's own message for `key` in every language (for labels indexed in both). */
  texts = (key: string): I18nText => ({
    'zh-CN': BASE['zh-CN'][key] ?? key,
    'en-US': BASE['en-US'][key] ?? key
  })

  /** Picks the current language from a multilingual value, falling back to the others. */
  text = (value: I18nText | string | null | undefined, fallback = ''): string => {
    if (value == null) return fallback
    if (typeof value === 'string') return value
    return value[this.#locale] || value[DEFAULT_LOCALE] || value['en-US'] || fallback
  }

  #applyToDocument(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.#locale
  }
}

export const i18n = new I18n()
export const t = i18n.t
export const tx = i18n.text

/** The document title: the page's own name(s), then the product name. */
export function pageTitle(...parts: string[]): string {
  return [...parts.filter(Boolean), t('app.name')].join(' · ')
}
