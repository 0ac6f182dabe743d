import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import { ACTIONS, SCOPES } from '@medaffairs/plugin-sdk'
import { FieldErrors } from './field-errors.js'

const CODE = /^[a-z][a-z0-9_]{1,40}$/

/** Validates a role and its grants; a malformed grant would silently open or close access. */
export async function validateRole(context: HookContext): Promise<void> {
  const creating = context.method === 'create'
  for (const data of (Array.isArray(context.data) ? context.data : [context.data]) as Record<string, any>[]) {
    const errs = new FieldErrors()
    if (creating || data.code !== undefined)
      if (typeof data.code !== 'string' || !CODE.test(data.code))
        errs.add('code', '编码为小写字母、数字、下划线', 'lower-case letters, digits, underscores')
    if (creating || data.name !== undefined)
      if (typeof data.name?.['zh-CN'] !== 'string' || !data.name['zh-CN'].trim())
        errs.add('name.zh-CN', '名称必填', 'required')
    if (data.tier !== undefined && data.tier !== null && !['system', 'security', 'audit'].includes(data.tier))
      errs.add('tier', '三员类型不正确', 'tier must be system, security or audit')
    // The three administrators' separation is fixed by the system, never set through the API.
    if (context.params.provider)
      for (const k of ['tier', 'builtin'])
        if (data[k] !== undefined) errs.add(k, '由系统维护', 'maintained by the system')
    if (data.grants !== undefined) {
      if (!Array.isArray(data.grants)) errs.add('grants', '应为列表', 'must be a list')
      else data.grants.forEach((g: Record<string, any>, i: number) => checkGrant(errs, `grants.${i}`, g))
    } else if (creating) data.grants = []
    errs.throwIfAny()
  }
}

function checkGrant(errs: FieldErrors, at: string, g: Record<string, any>): void {
  if (!g || typeof g !== 'object') return void errs.add(at, '格式不正确', 'must be an object')
  if (typeof g.collection !== 'string' || !/^(\*|[a-z][a-z0-9_]*)$/.test(g.collection))
    errs.add(`${at}.collection`, '数据表不正确', 'collection name or *')
  if (
    !Array.isArray(g.actions) ||
    !g.actions.length ||
    g.actions.some((a: string) => !ACTIONS.includes(a as never))
  )
    errs.add(`${at}.actions`, `操作应为 ${ACTIONS.join('/')}`, `actions from ${ACTIONS.join(', ')}`)
  if (!SCOPES.includes(g.scope))
    errs.add(`${at}.scope`, `范围应为 ${SCOPES.join('/')}`, `scope from ${SCOPES.join(', ')}`)
  if (g.scope === 'custom' && (typeof g.filter !== 'object' || g.filter === null))
    errs.add(`${at}.filter`, '自定义范围需要筛选条件', 'a custom scope needs a filter')
  for (const k of ['readFields', 'writeFields']) {
    if (g[k] !== undefined && (!Array.isArray(g[k]) || g[k].some((f: unknown) => typeof f !== 'string')))
      errs.add(`${at}.${k}`, '应为字段名列表', 'must be a list of field names')
  }
}

/** Built-in roles can be edited but not removed: seeds, matrices and the separation of duties rely on them. */
export async function refuseBuiltinRemoval(context: HookContext): Promise<void> {
  if (context.id === null || context.id === undefined)
    throw new BadRequest('请逐个删除角色 (remove one role at a time)')
  const role = (await context.service.get(context.id)) as { builtin?: boolean }
  if (role.builtin)
    new FieldErrors().add('builtin', '内置角色不能删除', 'built-in roles cannot be removed').throwIfAny()
}
