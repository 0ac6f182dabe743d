import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import type { Db } from '@medaffairs/plugin-sdk'
import { newId } from '../storage/ids.js'
import { FieldErrors } from './field-errors.js'
import type { OrgDirectory } from './org.js'

const TYPES = ['clinical', 'medtech', 'functional', 'administrative']
const CODE = /^[A-Za-z0-9_.-]{1,32}$/
type Dept = Record<string, any>

function validate(data: Dept, creating: boolean): void {
  const errs = new FieldErrors()
  if (creating || data.code !== undefined)
    if (typeof data.code !== 'string' || !CODE.test(data.code))
      errs.add('code', '编码为1-32位字母数字', '1–32 letters or digits')
  if (creating || data.name !== undefined)
    if (typeof data.name !== 'string' || !data.name.trim() || data.name.length > 100)
      errs.add('name', '名称必填，不超过100字', 'required, at most 100 characters')
  if (creating || data.type !== undefined)
    if (!TYPES.includes(data.type))
      errs.add('type', `类型应为 ${TYPES.join('/')}`, `one of ${TYPES.join(', ')}`)
  if (data.order !== undefined && typeof data.order !== 'number')
    errs.add('order', '排序应为数字', 'must be a number')
  if (
    data.leaderIds !== undefined &&
    (!Array.isArray(data.leaderIds) || data.leaderIds.some((x: unknown) => typeof x !== 'string'))
  )
    errs.add('leaderIds', '应为用户列表', 'must be a list of user ids')
  for (const k of ['path', 'depth'])
    if (data[k] !== undefined) errs.add(k, '由系统维护', 'maintained by the system')
  errs.throwIfAny()
}

async function parentOf(context: HookContext, parentId: unknown): Promise<Dept | null> {
  if (parentId === null || parentId === undefined) return null
  try {
    return (await context.service.get(parentId as string)) as Dept
  } catch {
    throw new BadRequest('上级科室不存在 (parent department not found)', {
      errors: [{ field: 'parentId', reason: '上级科室不存在 (not found)' }]
    })
  }
}

/** A new department gets its id first, so its materialized path can include it. */
export async function beforeCreateDepartment(context: HookContext): Promise<void> {
  for (const data of (Array.isArray(context.data) ? context.data : [context.data]) as Dept[]) {
    validate(data, true)
    const parent = await parentOf(context, data.parentId)
    data.id = newId()
    data.parentId = parent?.id ?? null
    data.path = `${parent?.path ?? '/'}${data.id}/`
    data.depth = (parent?.depth ?? -1) + 1
    data.order ??= 0
    data.enabled ??= true
    data.leaderIds ??= []
  }
}

/** Moving a department moves its whole subtree, in the same transaction as the patch. */
export function departmentMove(db: Db) {
  return async (context: HookContext): Promise<void> => {
    const data = context.data as Dept
    validate(data, false)
    if (context.id === null || context.id === undefined) {
      // A batch edit (type, order, enabled…) is fine; moving departments goes one at a time.
      if ('parentId' in data || 'code' in data)
        throw new BadRequest('请逐个移动或改编码 (move or re-code one department at a time)')
      return
    }
    if (!('parentId' in data)) return
    const current = (await context.service.get(context.id)) as Dept
    const parent = await parentOf(context, data.parentId)
    if (parent && (parent.id === current.id || String(parent.path).startsWith(current.path))) {
      throw new BadRequest('不能移动到自身或其下级科室之下 (cannot move a department under itself)', {
        errors: [{ field: 'parentId', reason: '不能移动到自身或下级之下 (would create a loop)' }]
      })
    }
    const newPath = `${parent?.path ?? '/'}${current.id}/`
    const shift = (parent?.depth ?? -1) + 1 - current.depth
    data.parentId = parent?.id ?? null
    if (newPath === current.path) return
    await db.query(
      `UPDATE c_departments SET
         doc = jsonb_set(jsonb_set(doc, '{path}', to_jsonb($2::text || substr(doc->>'path', length($1::text) + 1))),
                         '{depth}', to_jsonb((doc->>'depth')::int + $3::int)),
         updated_at = now(), rev = rev + 1
       WHERE id <> $4 AND starts_with(doc->>'path', $1::text)`,
      [current.path, newPath, shift, current.id]
    )
    Object.assign(data, { path: newPath, depth: current.depth + shift })
  }
}

/** A department with sub-departments or people is not removed: they would be orphaned. */
export async function beforeRemoveDepartment(context: HookContext): Promise<void> {
  if (context.id === null || context.id === undefined)
    throw new BadRequest('请逐个删除科室 (remove one department at a time)')
  const children = (await context.app
    .service('departments')
    .find({ query: { parentId: context.id, $limit: 1 }, paginate: false })) as Dept[]
  if (children.length)
    throw new BadRequest('请先删除或移走下级科室 (move or remove its sub-departments first)')
  const members = (await context.app
    .service('users')
    .find({ query: { deptId: context.id, $limit: 1 }, paginate: false })) as Dept[]
  if (members.length) throw new BadRequest('科室下仍有人员，请先调整 (move its people first)')
}

/** Any change to the tree invalidates every instance's subtree cache. */
export function bumpOrg(org: OrgDirectory) {
  return async (): Promise<void> => {
    await org.bump()
  }
}
