import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PluginDefinition } from '@medaffairs/plugin-sdk'

/**
 * Finds plugins on disk: every folder of `dir` whose package.json names its entry under
 * `medaffairs.plugin`. The core imports them by path, so it never depends on a plugin.
 */
export async function discoverPlugins(dir: string): Promise<PluginDefinition[]> {
  if (!existsSync(dir)) return []
  const found: PluginDefinition[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name)
  )) {
    // A plugin folder may be a link (an operator's checkout of a plugin kept elsewhere).
    if (!entry.isDirectory() && !(entry.isSymbolicLink() && statSync(join(dir, entry.name)).isDirectory()))
      continue
    const pkgFile = join(dir, entry.name, 'package.json')
    if (!existsSync(pkgFile)) continue
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { medaffairs?: { plugin?: string } }
    const main = pkg.medaffairs?.plugin
    if (!main) continue
    const mod = (await import(pathToFileURL(join(dir, entry.name, main)).href)) as {
      default?: PluginDefinition
    }
    if (!mod.default || typeof mod.default.name !== 'string') {
      throw new Error(`${join(dir, entry.name, main)} must export a plugin (definePlugin) as default`)
    }
    found.push(mod.default)
  }
  return found
}
