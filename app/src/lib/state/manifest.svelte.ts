import { getJson } from '$lib/api/client'
import { handleError } from '$lib/api/handle-error'
import type { Manifest, ManifestPlugin, MenuItem } from '$lib/api/types'
import { i18n } from '$lib/i18n/i18n.svelte'

export interface NavEntry extends MenuItem {
  /** The plugin that contributed the entry. */
  plugin: string
}

export interface NavGroup {
  /** `''` for entries without a group. */
  key: string
  entries: NavEntry[]
}

const BY_ORDER = (a: { order?: number }, b: { order?: number }) => (a.order ?? 1000) - (b.order ?? 1000)

/** Pages the shell itself owns; a plugin's menu entry for the same path takes precedence. */
export function shellEntries(): NavEntry[] {
  return [
    { path: '/', label: i18n.texts('nav.home'), icon: 'home', order: -1, plugin: '' },
    {
      path: '/admin/plugins',
      label: i18n.texts('nav.admin_plugins'),
      icon: 'plugin',
      group: 'settings',
      order: 100,
      plugin: ''
    }
  ]
}

/** Icons for core pages whose menu entries come without one. */
const PATH_ICONS: Record<string, string> = {
  '/admin/departments': 'tree',
  '/admin/users': 'users',
  '/admin/roles': 'shield',
  '/admin/masking': 'eye-off',
  '/admin/forms': 'file'
}

/** Groups the enabled plugins' menu entries (then the shell's), each group and entry in `order`. */
export function navGroups(plugins: ManifestPlugin[], extra: NavEntry[] = []): NavGroup[] {
  const seen = new Set<string>()
  const groups = new Map<string, NavEntry[]>()
  const fromPlugins = plugins
    .filter((p) => p.enabled)
    .flatMap((p) => (p.menu ?? []).map((m) => ({ ...m, icon: m.icon ?? PATH_ICONS[m.path], plugin: p.name })))
  for (const entry of [...fromPlugins, ...extra]) {
    if (seen.has(entry.path)) continue
    seen.add(entry.path)
    const key = entry.group ?? ''
    groups.set(key, [...(groups.get(key) ?? []), entry])
  }
  return [...groups]
    .map(([key, entries]) => ({ key, entries: entries.sort(BY_ORDER) }))
    .sort((a, b) => (a.key === '' ? -1 : b.key === '' ? 1 : BY_ORDER(a.entries[0], b.entries[0])))
}

/**
 * What core says is installed and enabled (`GET /api/manifest`): navigation and plugin
 * messages. Reloaded after a plugin is switched on or off.
 */
class ManifestState {
  #plugins = $state<ManifestPlugin[]>([])
  #status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle')
  #version = $state(0)
  #groups = $derived(navGroups(this.#plugins, shellEntries()))

  get plugins(): ManifestPlugin[] {
    return this.#plugins
  }

  get enabled(): ManifestPlugin[] {
    return this.#plugins.filter((p) => p.enabled)
  }

  get groups(): NavGroup[] {
    return this.#groups
  }

  get entries(): NavEntry[] {
    return this.#groups.flatMap((g) => g.entries)
  }

  get status() {
    return this.#status
  }

  /** Bumps on every successful load; consumers (the search index) rebuild on change. */
  get version(): number {
    return this.#version
  }

  /** Forgets the menus of a user who signed out; the next page reloads them. */
  clear(): void {
    this.#plugins = []
    this.#status = 'idle'
  }

  async load(): Promise<void> {
    this.#status = 'loading'
    try {
      const manifest = await getJson<Manifest>('/api/manifest')
      i18n.setPluginMessages(manifest.messages)
      this.#plugins = manifest.plugins ?? []
      this.#status = 'ready'
      this.#version++
    } catch (error) {
      this.#status = 'error'
      handleError(error, 'errors.unable_to_load_manifest')
    }
  }
}

export const manifest = new ManifestState()
