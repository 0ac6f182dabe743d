import { describe, expect, it } from 'vitest'
import { definePlugin, type PluginDefinition } from '@medaffairs/plugin-sdk'
import { dependentsOf, orderPlugins } from '../src/plugins/order.js'

const p = (name: string, requires: string[] = []): PluginDefinition =>
  definePlugin({ name, version: '1.0.0', requires })

describe('plugin ordering', () => {
  it('puts every plugin after the plugins it requires', () => {
    const order = orderPlugins([
      p('reports', ['archives', 'flows']),
      p('flows', ['dictionaries']),
      p('archives', ['dictionaries']),
      p('dictionaries')
    ])
    const pos = (n: string) => order.findIndex((x) => x.name === n)
    expect(order).toHaveLength(4)
    expect(pos('dictionaries')).toBeLessThan(pos('flows'))
    expect(pos('dictionaries')).toBeLessThan(pos('archives'))
    expect(pos('archives')).toBeLessThan(pos('reports'))
    expect(pos('flows')).toBeLessThan(pos('reports'))
  })

  it('names the cycle when plugins require each other', () => {
    expect(() => orderPlugins([p('a', ['b']), p('b', ['c']), p('c', ['a'])])).toThrow('cycle: a → b → c → a')
  })

  it('names the missing plugin', () => {
    expect(() => orderPlugins([p('a', ['ghost'])])).toThrow(
      'Plugin "a" requires "ghost", which is not installed'
    )
  })

  it('refuses two plugins with one name', () => {
    expect(() => orderPlugins([p('a'), p('a')])).toThrow('Two plugins are named "a"')
  })

  it('finds direct and indirect dependents', () => {
    const all = [p('base'), p('mid', ['base']), p('top', ['mid']), p('other')]
    expect(dependentsOf('base', all)).toEqual(['mid', 'top'])
    expect(dependentsOf('other', all)).toEqual([])
  })

  it('rejects malformed plugin names and versions when declared', () => {
    expect(() => definePlugin({ name: 'Bad Name', version: '1.0.0' })).toThrow(/kebab-case/)
    expect(() => definePlugin({ name: 'ok', version: 'one' })).toThrow(/semver/)
  })
})
