import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import { checkCode, checkLabel, checkType, FieldErrors, rejectUnknown } from './validate.js'

const DICT_CODE = /^[a-z][a-z0-9_]{1,63}$/
const ITEM_CODE = /^[\p{L}\p{N}_.\-]{1,64}$/u
const DICT_FIELDS = ['code', 'name', 'tree', 'description', 'system']
const ITEM_FIELDS = ['dictionary', 'code', 'label', 'parent', 'order', 'enabled', 'extra']

type Doc = Record<string, unknown>
const asList = (data: unknown): Doc[] => (Array.isArray(data) ? data : [data]) as Doc[]

/** Validates dictionaries on create, update and patch. */
export async function validateDictionary(context: HookContext): Promise<void> {
  const creating = context.method !== 'patch'
  for (const data of asList(context.data)) {
    const errs = new FieldErrors()
    rejectUnknown(errs, data, DICT_FIELDS)
    checkCode(errs, 'code', data.code, DICT_CODE, creating)
    checkLabel(errs, 'name', data.name, creating)
    checkType(errs, 'tree', data.tree, 'boolean')
    if (
      data.description !== undefined &&
      (typeof data.description !== 'string' || data.description.length > 2000)
    ) {
      errs.add('description', '不超过2000字 (at most 2000 characters)')
    }
    errs.throwIfAny()
    if (creating) data.tree ??= false
  }
}

async function dictionaryOf(context: HookContext, code: unknown): Promise<Doc | undefined> {
  const found = (await context.app
    .service('dictionaries')
    .find({ query: { code, $limit: 1 }, paginate: false })) as Doc[]
  return found[0]
}

async function itemExists(context: HookContext, dictionary: unknown, code: unknown): Promise<boolean> {
  const found = (await context.app
    .service('dictionary-items')
    .find({ query: { dictionary, code, $limit: 1 }, paginate: false })) as Doc[]
  return found.length > 0
}

/** Parent codes above `code` (following parent links), to refuse a move into its own subtree. */
async function ancestors(context: HookContext, dictionary: unknown, code: string): Promise<string[]> {
  const out: string[] = []
  let current: string | null = code
  while (current && out.length < 64) {
    const found = (await context.app
      .service('dictionary-items')
      .find({ query: { dictionary, code: current, $limit: 1 }, paginate: false })) as Doc[]
    current = (found[0]?.parent as string | null) ?? null
    if (current) out.push(current)
  }
  return out
}

/** Validates dictionary items, including the parent link of tree dictionaries. */
export async function validateItem(context: HookContext): Promise<void> {
  const creating = context.method !== 'patch'
  if (!creating && (context.id === null || context.id === undefined))
    return validateBatchPatch(context.data as Doc)
  const existing = creating ? undefined : ((await context.service.get(context.id, { query: {} })) as Doc)
  for (const data of asList(context.data)) {
    const errs = new FieldErrors()
    rejectUnknown(errs, data, ITEM_FIELDS)
    for (const key of ['dictionary', 'code'] as const) {
      if (existing && data[key] !== undefined && data[key] !== existing[key])
        errs.add(key, '创建后不可修改 (cannot change after creation)')
    }
    checkCode(errs, 'dictionary', data.dictionary, DICT_CODE, creating)
    checkCode(errs, 'code', data.code, ITEM_CODE, creating)
    checkLabel(errs, 'label', data.label, creating)
    checkType(errs, 'order', data.order, 'number')
    checkType(errs, 'enabled', data.enabled, 'boolean')
    if (data.parent !== undefined && data.parent !== null && typeof data.parent !== 'string')
      errs.add('parent', '应为上级字典项编码 (must be a parent code)')
    errs.throwIfAny()
    const dictionaryCode = data.dictionary ?? existing?.dictionary
    const dict = await dictionaryOf(context, dictionaryCode)
    if (!dict)
      throw new BadRequest('字典不存在 (no such dictionary)', {
        errors: [{ field: 'dictionary', reason: '字典不存在 (no such dictionary)' }]
      })
    if (data.parent) {
      if (!dict.tree) errs.add('parent', '平铺字典不能设置上级 (a flat dictionary has no parents)')
      else if (!(await itemExists(context, dictionaryCode, data.parent)))
        errs.add('parent', '上级字典项不存在 (parent item not found)')
      else if (
        existing &&
        (data.parent === existing.code ||
          (await ancestors(context, dictionaryCode, data.parent as string)).includes(existing.code as string))
      ) {
        errs.add('parent', '不能移动到自身或其下级之下 (cannot move an item under itself)')
      }
    }
    errs.throwIfAny()
    if (creating) {
      data.parent ??= null
      data.order ??= 0
      data.enabled ??= true
    }
  }
}

/** A dictionary with items, or an item with children, is not removed: that would orphan data. */
export async function refuseRemoveWithChildren(context: HookContext): Promise<void> {
  if (context.id === null || context.id === undefined)
    throw new BadRequest('请逐条删除 (remove one at a time)')
  const record = (await context.service.get(context.id)) as Doc
  const isDictionary = context.path === 'dictionaries'
  const query = isDictionary
    ? { dictionary: record.code, $limit: 1 }
    : { dictionary: record.dictionary, parent: record.code, $limit: 1 }
  const children = (await context.app.service('dictionary-items').find({ query, paginate: false })) as Doc[]
  if (children.length) {
    throw new BadRequest(
      isDictionary
        ? '请先删除该字典的全部字典项 (remove its items first)'
        : '请先删除下级字典项 (remove its children first)'
    )
  }
}

/** A batch edit may change labels, order and whether items are enabled — not codes or the tree. */
function validateBatchPatch(data: Doc): void {
  const errs = new FieldErrors()
  rejectUnknown(errs, data, ['label', 'order', 'enabled', 'extra'])
  checkLabel(errs, 'label', data.label, false)
  checkType(errs, 'order', data.order, 'number')
  checkType(errs, 'enabled', data.enabled, 'boolean')
  errs.throwIfAny()
}
