import { service } from '$lib/api/client'
import { errorMessage, handleError } from '$lib/api/handle-error'
import type { PluginInfo } from '$lib/api/types'
import { t, tx } from '$lib/i18n/i18n.svelte'
import { manifest } from '$lib/state/manifest.svelte'
import { toasts } from '$lib/state/toasts.svelte'

/** Every installed plugin, enabled or not (`GET /api/plugins`). */
export async function listPlugins(): Promise<PluginInfo[]> {
  return (await service('plugins').find()).data
}

export type ToggleResult = { ok: true; plugin: PluginInfo } | { ok: false; message: string }

/**
 * Switches a plugin on or off (`PATCH /api/plugins/:name`). Core refuses what would break
 * a dependency or an essential plugin; its message comes back for the page to show.
 * On success the navigation reloads, since menus follow the enabled plugins.
 */
export async function setPluginEnabled(plugin: PluginInfo, enabled: boolean): Promise<ToggleResult> {
  const name = tx(plugin.label, plugin.name)
  try {
    const updated = await service('plugins').patch(plugin.name, { enabled })
    toasts.success(t(enabled ? 'plugins.now_enabled' : 'plugins.now_disabled', { name }))
    await manifest.load()
    return { ok: true, plugin: updated }
  } catch (error) {
    handleError(error, 'errors.unable_to_toggle_plugin', { name })
    return { ok: false, message: errorMessage(error) }
  }
}
