import type { Paginated } from '@feathersjs/feathers'
import type { I18nText, Messages, Locale } from '$lib/i18n/i18n.svelte'

/**
 * The shapes core sends. They mirror core's service schemas; when core publishes
 * `*.shared.ts` client typings through plugin-sdk, these give way to those.
 */

export interface MenuItem {
  path: string
  label: I18nText
  icon?: string
  group?: string
  order?: number
}

export interface ManifestPlugin {
  name: string
  version: string
  label: I18nText
  description?: I18nText
  enabled: boolean
  essential: boolean
  menu: MenuItem[]
}

export interface Manifest {
  plugins: ManifestPlugin[]
  messages: Partial<Record<Locale, Messages>>
}

export interface PluginInfo {
  name: string
  version: string
  label: I18nText
  description?: I18nText
  enabled: boolean
  essential: boolean
  requires: string[]
}

export interface Dictionary {
  id: string
  code: string
  name: I18nText
  tree: boolean
  description?: I18nText | string
}

export interface DictionaryItem {
  id: string
  dictionary: string
  code: string
  label: I18nText
  parent: string | null
  order: number
  enabled: boolean
}

export type DictionaryItemData = Omit<DictionaryItem, 'id'>

/** Service paths as core registers them (socket.io) and as REST serves them under /api. */
export interface ServiceTypes {
  plugins: PluginInfo
  dictionaries: Dictionary
  'dictionary-items': DictionaryItem
}

export type { Paginated }
