import { describe, expect, it } from 'vitest'
import type { ManifestPlugin } from '$lib/api/types'
import { navGroups, shellEntries } from './manifest.svelte'

const plugin = (name: string, enabled: boolean, menu: ManifestPlugin['menu']): ManifestPlugin => ({
  name,
  version: '1.0.0',
  label: { 'zh-CN': name },
  enabled,
  essential: false,
  menu
})

describe('navGroups', () => {
  const plugins = [
    plugin('dictionaries', true, [
      { path: '/dictionaries', label: { 'zh-CN': '数据字典' }, group: 'settings', order: 90 }
    ]),
    plugin('staff', true, [{ path: '/staff', label: { 'zh-CN': '人员档案' }, order: 10 }]),
    plugin('reports', false, [{ path: '/reports', label: { 'zh-CN': '报表' }, order: 5 }])
  ]

  it('puts ungrouped entries first, in order, and leaves out disabled plugins', () => {
    const groups = navGroups(plugins, shellEntries())
    expect(groups.map((g) => g.key)).toEqual(['', 'settings'])
    expect(groups[0].entries.map((e) => e.path)).toEqual(['/', '/staff'])
    expect(groups[1].entries.map((e) => e.path)).toEqual(['/dictionaries', '/admin/plugins'])
  })

  it('lets a plugin own a path the shell also offers', () => {
    const own = plugin('admin', true, [
      { path: '/admin/plugins', label: { 'zh-CN': '模块' }, group: 'settings' }
    ])
    const entries = navGroups([own], shellEntries()).flatMap((g) => g.entries)
    expect(entries.filter((e) => e.path === '/admin/plugins')).toMatchObject([{ plugin: 'admin' }])
  })
})
