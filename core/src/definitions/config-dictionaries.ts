import type { Application } from '@feathersjs/feathers'
import { canonicalJson } from '../audit/canonical.js'

type Doc = Record<string, any>

/** A dictionary as a reviewable file: its items nested under their parents, in display order. */
export interface DictionaryFile {
  code: string
  name: { 'zh-CN': string; 'en-US'?: string }
  tree: boolean
  system?: boolean
  description?: string
  items: DictionaryFileItem[]
}

export interface DictionaryFileItem {
  code: string
  label: { 'zh-CN': string; 'en-US'?: string }
  order: number
  enabled: boolean
  extra?: Record<string, unknown>
  children?: DictionaryFileItem[]
}

const DICT_CODE = /^[a-z][a-z0-9_]{1,63}$/
const ITEM_CODE = /^[\p{L}\p{N}_.\-]{1,64}$/u
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const hasZh = (v: unknown) => isObject(v) && typeof v['zh-CN'] === 'string' && v['zh-CN'].trim() !== ''

export function hasDictionaries(app: Application): boolean {
  return Boolean((app as { services: Record<string, unknown> }).services['dictionary-items'])
}

function nest(items: Doc[], parent: string | null): DictionaryFileItem[] {
  return items
    .filter((i) => (i.parent ?? null) === parent)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || String(a.code).localeCompare(String(b.code)))
    .map((i) => {
      const children = nest(items, i.code)
      return {
        code: i.code,
        label: i.label,
        order: i.order ?? 0,
        enabled: i.enabled !== false,
        ...(isObject(i.extra) && Object.keys(i.extra).length ? { extra: i.extra } : {}),
        ...(children.length ? { children } : {})
      }
    })
}

/** Every dictionary of the dictionaries plugin, as files (none without the plugin). */
export async function readDictionaries(app: Application): Promise<DictionaryFile[]> {
  if (!hasDictionaries(app)) return []
  const dicts = (await app
    .service('dictionaries')
    .find({ query: { $sort: { code: 1 } }, paginate: false })) as Doc[]
  const items = (await app.service('dictionary-items').find({ query: {}, paginate: false })) as Doc[]
  return dicts.map((d) => ({
    code: d.code,
    name: d.name,
    tree: Boolean(d.tree),
    ...(d.system ? { system: true } : {}),
    ...(d.description ? { description: d.description } : {}),
    items: nest(
      items.filter((i) => i.dictionary === d.code),
      null
    )
  }))
}

function flatten(
  items: DictionaryFileItem[],
  parent: string | null,
  depth: number,
  out: Array<Doc & { depth: number }>
): typeof out {
  for (const i of items) {
    out.push({
      code: i.code,
      label: i.label,
      order: i.order,
      enabled: i.enabled,
      extra: i.extra ?? null,
      parent,
      depth
    })
    if (i.children) flatten(i.children, i.code, depth + 1, out)
  }
  return out
}

/** Problems of a dictionary file, as `{ field, reason }` with paths into the file. */
export function checkDictionaryFile(code: string, body: unknown): Array<{ field: string; reason: string }> {
  const errors: Array<{ field: string; reason: string }> = []
  const add = (field: string, reason: string) => errors.push({ field, reason })
  if (!isObject(body)) return [{ field: 'body', reason: '字典应为对象 (a dictionary must be an object)' }]
  if (body.code !== code || !DICT_CODE.test(code))
    add('code', `应为文件名 ${code} (must match the file name)`)
  if (!hasZh(body.name)) add('name', '请填写中文名称 (a zh-CN name is required)')
  if (!Array.isArray(body.items))
    return [...errors, { field: 'items', reason: '应为字典项列表 (must be a list of items)' }]
  const seen = new Set<string>()
  const walk = (list: unknown[], path: string, depth: number) =>
    list.forEach((item, i) => {
      const at = `${path}.${i}`
      if (!isObject(item)) return add(at, '字典项应为对象 (an item must be an object)')
      if (typeof item.code !== 'string' || !ITEM_CODE.test(item.code) || seen.has(item.code))
        add(`${at}.code`, '编码缺失、格式不正确或重复 (missing, invalid or duplicate code)')
      else seen.add(item.code)
      if (!hasZh(item.label)) add(`${at}.label`, '请填写中文名称 (a zh-CN label is required)')
      if (typeof item.order !== 'number' || typeof item.enabled !== 'boolean')
        add(at, 'order 应为数字，enabled 应为布尔值 (order must be a number, enabled a boolean)')
      if (item.children !== undefined) {
        if (!body.tree || !Array.isArray(item.children))
          add(`${at}.children`, '只有树形字典可以有下级 (only tree dictionaries have children)')
        else walk(item.children, `${at}.children`, depth + 1)
      }
    })
  walk(body.items, 'items', 0)
  return errors
}

export function sameDictionary(a: DictionaryFile | undefined, b: DictionaryFile): boolean {
  return a !== undefined && canonicalJson(a) === canonicalJson(b)
}

/**
 * Makes the dictionary's tables say what the file says, through the dictionaries services
 * (their checks and audit apply). Items missing from the file are disabled, not deleted:
 * records may still name them.
 */
export async function applyDictionary(app: Application, file: DictionaryFile): Promise<void> {
  const dicts = app.service('dictionaries')
  const items = app.service('dictionary-items')
  const [found] = (await dicts.find({ query: { code: file.code, $limit: 1 }, paginate: false })) as Doc[]
  const head = {
    name: file.name,
    tree: file.tree,
    ...(file.description ? { description: file.description } : {})
  }
  if (!found) await dicts.create({ code: file.code, ...head, system: file.system ?? false })
  else {
    const now = { name: found.name, tree: Boolean(found.tree), description: found.description ?? undefined }
    if (canonicalJson(now) !== canonicalJson({ ...head, description: file.description }))
      await dicts.patch(found.id, head)
  }
  const stored = new Map(
    ((await items.find({ query: { dictionary: file.code }, paginate: false })) as Doc[]).map((i) => [
      i.code,
      i
    ])
  )
  const wanted = flatten(file.items, null, 0, []).sort((a, b) => a.depth - b.depth)
  for (const { depth: _depth, ...item } of wanted) {
    const have = stored.get(item.code)
    if (!have) await items.create({ dictionary: file.code, ...item })
    else {
      const change: Doc = {}
      for (const k of ['label', 'parent', 'order', 'enabled', 'extra'])
        if (canonicalJson(have[k] ?? null) !== canonicalJson(item[k] ?? null)) change[k] = item[k]
      if (Object.keys(change).length) await items.patch(have.id, change)
    }
  }
  const keep = new Set(wanted.map((i) => i.code))
  for (const [code, have] of stored)
    if (!keep.has(code) && have.enabled !== false) await items.patch(have.id, { enabled: false })
}
