import type { LookupRequest } from './kinds.js'
import { NoDictionaries, type DictionaryItem, type ValidationLookups as Lookups } from './lookups.js'
import { r } from './messages.js'

const NOT_IN_DICTIONARY = r('不是字典中的值', 'not a value of the dictionary')
const DISABLED = r('该选项已停用', 'this option is disabled')
const NO_DICTIONARIES = r('数据字典不可用', 'dictionaries are not available')
const BAD_PATH = r('级联路径无效', 'not a valid path in the dictionary')
const NO_USER = r('用户不存在', 'no such user')
const NO_DEPARTMENT = r('科室不存在', 'no such department')
const NO_FILE = r('文件不存在', 'no such file')
const NOT_IMAGE = r('不是图片', 'not an image')

type Errors = Map<string, string>

const pathOf = (req: LookupRequest, value: string) =>
  req.list ? `${req.path}.${req.list.indexOf(value)}` : req.path

function byKind(reqs: LookupRequest[], kind: LookupRequest['kind']): LookupRequest[] {
  return reqs.filter((q) => q.kind === kind)
}

async function items(
  lookups: Lookups,
  dictionary: string,
  codes: string[],
  errors: Errors,
  path: string
): Promise<Map<string, DictionaryItem> | undefined> {
  try {
    return await lookups.dictionaryItems(dictionary, codes)
  } catch (error) {
    if (!(error instanceof NoDictionaries)) throw error
    errors.set(path, NO_DICTIONARIES)
    return undefined
  }
}

async function checkDictionaries(reqs: LookupRequest[], lookups: Lookups, errors: Errors): Promise<void> {
  for (const req of byKind(reqs, 'dictionary')) {
    const found = await items(lookups, req.dictionary!, req.values, errors, req.path)
    if (!found) continue
    for (const v of req.values) {
      const item = found.get(v)
      if (!item) errors.set(pathOf(req, v), NOT_IN_DICTIONARY)
      else if (!item.enabled) errors.set(pathOf(req, v), DISABLED)
    }
  }
}

/** A cascader value is a path from a root item down: each item's parent is the one before it. */
async function checkCascaders(reqs: LookupRequest[], lookups: Lookups, errors: Errors): Promise<void> {
  for (const req of byKind(reqs, 'cascader')) {
    const found = await items(lookups, req.dictionary!, req.values, errors, req.path)
    if (!found) continue
    const chain = req.values.map((code) => found.get(code))
    const valid = chain.every((item, i) => item && item.parent === (i === 0 ? null : req.values[i - 1]))
    if (!valid) errors.set(req.path, BAD_PATH)
    else if (chain.some((item) => !item!.enabled)) errors.set(req.path, DISABLED)
  }
}

async function checkRecords(reqs: LookupRequest[], lookups: Lookups, errors: Errors): Promise<void> {
  for (const kind of ['user', 'department'] as const) {
    const list = byKind(reqs, kind)
    if (!list.length) continue
    const live = await lookups.existing(
      kind === 'user' ? 'users' : 'departments',
      list.flatMap((q) => q.values)
    )
    for (const req of list)
      for (const v of req.values)
        if (!live.has(v)) errors.set(pathOf(req, v), kind === 'user' ? NO_USER : NO_DEPARTMENT)
  }
}

async function checkFiles(reqs: LookupRequest[], lookups: Lookups, errors: Errors): Promise<void> {
  const list = reqs.filter((q) => q.kind === 'file' || q.kind === 'image')
  if (!list.length) return
  const files = await lookups.files(list.flatMap((q) => q.values))
  if (!files) return
  for (const req of list) {
    for (const v of req.values) {
      const mime = files.get(v)
      if (mime === undefined) errors.set(pathOf(req, v), NO_FILE)
      else if (req.kind === 'image' && !mime.startsWith('image/')) errors.set(pathOf(req, v), NOT_IMAGE)
    }
  }
}

/** Runs the collected lookups (a few queries per write, not one per value). */
export async function resolveLookups(reqs: LookupRequest[], lookups: Lookups, errors: Errors): Promise<void> {
  if (!reqs.length) return
  await checkDictionaries(reqs, lookups, errors)
  await checkCascaders(reqs, lookups, errors)
  await checkRecords(reqs, lookups, errors)
  await checkFiles(reqs, lookups, errors)
}
