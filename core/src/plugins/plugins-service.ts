import { BadRequest, NotFound } from '@feathersjs/errors'
import type { Params } from '@feathersjs/feathers'
import type { Actor, I18nText, MenuItem, Messages } from '@medaffairs/plugin-sdk'
import { mayAdminister } from '../definitions/services.js'
import { permissionFor } from '../identity/acl.js'
import { dependentsOf } from './order.js'
import type { PluginRegistry } from './loader.js'

export interface PluginInfo {
  name: string
  version: string
  label?: I18nText
  description?: I18nText
  requires: string[]
  essential: boolean
  enabled: boolean
  menu: MenuItem[]
}

export interface Manifest {
  plugins: PluginInfo[]
  messages: { 'zh-CN': Messages; 'en-US': Messages }
}

/** Lists installed plugins and enables or disables them at run time (`/api/plugins`). */
export class PluginsService {
  constructor(private readonly registry: PluginRegistry) {}

  async find(_params?: Params): Promise<PluginInfo[]> {
    const states = await this.registry.states.all()
    return this.registry.plugins.map((p) => ({
      name: p.name,
      version: p.version,
      label: p.label,
      description: p.description,
      requires: p.requires ?? [],
      essential: p.essential ?? false,
      enabled: states.get(p.name)?.enabled ?? false,
      menu: p.menu ?? []
    }))
  }

  async get(name: string, params?: Params): Promise<PluginInfo> {
    const found = (await this.find(params)).find((p) => p.name === name)
    if (!found) throw new NotFound(`没有名为 ${name} 的模块 (no plugin named ${name})`)
    return found
  }

  async patch(name: string, data: { enabled?: unknown }, params?: Params): Promise<PluginInfo> {
    const plugin = await this.get(name, params)
    if (typeof data?.enabled !== 'boolean') {
      throw new BadRequest('enabled 必须为 true 或 false (enabled must be a boolean)', {
        errors: [{ field: 'enabled', reason: 'must be a boolean' }]
      })
    }
    const all = await this.find(params)
    if (!data.enabled) {
      if (plugin.essential)
        throw new BadRequest(`「${name}」是基础模块，不能停用 (${name} is essential and cannot be disabled)`)
      const enabledDependents = dependentsOf(name, this.registry.plugins).filter(
        (d) => all.find((p) => p.name === d)?.enabled
      )
      if (enabledDependents.length) {
        throw new BadRequest(
          `请先停用依赖它的模块：${enabledDependents.join('、')} (disable ${enabledDependents.join(', ')} first)`,
          {
            dependents: enabledDependents
          }
        )
      }
    } else {
      const off = plugin.requires.filter((r) => !all.find((p) => p.name === r)?.enabled)
      if (off.length)
        throw new BadRequest(`请先启用：${off.join('、')} (enable ${off.join(', ')} first)`, {
          requires: off
        })
    }
    const user = (params as { user?: { id?: string } } | undefined)?.user
    await this.registry.states.setEnabled(name, data.enabled, user?.id ?? null)
    return this.get(name, params)
  }
}

/**
 * Menu items the caller may open: items of a tier need that tier, items tied to a collection
 * need that permission, items tied to any collection need it on at least one.
 */
function visibleMenu(menu: MenuItem[], registry: PluginRegistry, actor: Actor | undefined): MenuItem[] {
  return menu.filter((item) => {
    if (item.tier) return !!actor?.tiers.includes(item.tier)
    if (!item.collection && !item.anyCollection) return true
    if (!actor) return false
    const action = item.action ?? 'read'
    if (item.anyCollection)
      return [...registry.collections.values()].some(
        ({ def }) => permissionFor(actor, def.name, action, def.kind ?? 'business').allowed
      )
    // Definitions are not a collection: their own rule (system tier or a grant on `definitions`).
    if (item.collection === 'definitions') return mayAdminister(actor, action)
    const registered = registry.collections.get(item.collection!)
    if (registered)
      return permissionFor(actor, item.collection!, action, registered.def.kind ?? 'business').allowed
    // Not a collection (the audit trail): the item names its kind, configuration by default —
    // open to the system administrator tier and explicit grants, never to a business `*` grant.
    const kind = item.kind ?? 'config'
    if (kind === 'config' && actor.tiers.includes('system')) return true
    return permissionFor(actor, item.collection!, action, kind).allowed
  })
}

/** What the web app needs to draw itself: enabled plugins' menus (as the caller may see them) and messages. */
export class ManifestService {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly plugins: PluginsService
  ) {}

  async find(params?: Params): Promise<Manifest> {
    const list = await this.plugins.find(params)
    const messages: Manifest['messages'] = { 'zh-CN': {}, 'en-US': {} }
    for (const def of this.registry.plugins) {
      if (!list.find((p) => p.name === def.name)?.enabled) continue
      Object.assign(messages['zh-CN'], def.i18n?.['zh-CN'])
      Object.assign(messages['en-US'], def.i18n?.['en-US'])
    }
    const actor = (params as { actor?: Actor } | undefined)?.actor
    return {
      plugins: list.map((p) => ({ ...p, menu: p.enabled ? visibleMenu(p.menu, this.registry, actor) : [] })),
      messages
    }
  }
}
