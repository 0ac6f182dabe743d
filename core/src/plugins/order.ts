import type { PluginDefinition } from '@medaffairs/plugin-sdk'

export class PluginGraphError extends Error {
  override name = 'PluginGraphError'
}

/**
 * Orders plugins so that each comes after the plugins it requires. A missing requirement
 * or a cycle is an error that names the plugins involved.
 */
export function orderPlugins(
  plugins: readonly PluginDefinition[],
  available: readonly string[] = []
): PluginDefinition[] {
  const byName = new Map<string, PluginDefinition>()
  for (const p of plugins) {
    if (byName.has(p.name)) throw new PluginGraphError(`Two plugins are named "${p.name}"`)
    byName.set(p.name, p)
  }
  for (const p of plugins) {
    for (const r of p.requires ?? []) {
      if (!byName.has(r) && !available.includes(r))
        throw new PluginGraphError(`Plugin "${p.name}" requires "${r}", which is not installed`)
    }
  }
  const ordered: PluginDefinition[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (p: PluginDefinition, path: string[]) => {
    const s = state.get(p.name)
    if (s === 'done') return
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(p.name)), p.name]
      throw new PluginGraphError(`Plugins require each other in a cycle: ${cycle.join(' → ')}`)
    }
    state.set(p.name, 'visiting')
    for (const r of [...(p.requires ?? [])].sort())
      if (byName.has(r)) visit(byName.get(r)!, [...path, p.name])
    state.set(p.name, 'done')
    ordered.push(p)
  }
  for (const p of [...plugins].sort((a, b) => a.name.localeCompare(b.name))) visit(p, [])
  return ordered
}

/** The plugins that (directly or not) require `name`. */
export function dependentsOf(name: string, plugins: readonly PluginDefinition[]): string[] {
  const out = new Set<string>()
  let grew = true
  while (grew) {
    grew = false
    for (const p of plugins) {
      if (out.has(p.name)) continue
      if ((p.requires ?? []).some((r) => r === name || out.has(r))) {
        out.add(p.name)
        grew = true
      }
    }
  }
  return [...out].sort()
}
