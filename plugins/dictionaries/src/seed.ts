import type { PluginContext } from '@medaffairs/plugin-sdk'
import { ENUMERATIONS, type SeedItem } from './enumerations.js'

interface ItemData {
  dictionary: string
  code: string
  label: { 'zh-CN': string; 'en-US': string }
  parent: string | null
  order: number
  enabled: boolean
}

/** Items by depth: depth 0 first, so a parent exists before its children are validated. */
function byDepth(
  dictionary: string,
  items: SeedItem[],
  parent: string | null,
  depth: number,
  out: ItemData[][]
): ItemData[][] {
  items.forEach(([code, zh, en, children], i) => {
    ;(out[depth] ??= []).push({
      dictionary,
      code,
      label: { 'zh-CN': zh, 'en-US': en },
      parent,
      order: (i + 1) * 10,
      enabled: true
    })
    if (children) byDepth(dictionary, children, code, depth + 1, out)
  })
  return out
}

/** Seeds the default enumerations as editable dictionaries (bulk, through the services). */
export async function seedEnumerations({ app }: PluginContext): Promise<void> {
  await app.service('dictionaries').create(
    ENUMERATIONS.map((d) => ({
      code: d.code,
      name: { 'zh-CN': d.name[0], 'en-US': d.name[1] },
      tree: d.tree ?? false,
      system: true
    }))
  )
  const levels: ItemData[][] = []
  for (const d of ENUMERATIONS) byDepth(d.code, d.items, null, 0, levels)
  for (const level of levels) await app.service('dictionary-items').create(level)
}
