import { ACTIONS, type Grant } from '@medaffairs/plugin-sdk'
import { FieldErrors } from '../../identity/field-errors.js'
import { parseCidr } from './address.js'
import type { KeyChanges } from './store.js'
import type { ApiKeyScopes } from './types.js'

type Doc = Record<string, unknown>
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const FLOW_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/
const FIELD = /^[A-Za-z0-9_.]{1,100}$/

/** Whether a custom filter refers to the caller (`$user.id` …): a key is nobody, so it may not. */
function usesUserVariables(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('$user.')
  if (Array.isArray(value)) return value.some(usesUserVariables)
  return isObject(value) && Object.values(value).some(usesUserVariables)
}

function checkFields(errs: FieldErrors, at: string, value: unknown): void {
  if (
    value !== undefined &&
    !(Array.isArray(value) && value.every((f) => typeof f === 'string' && FIELD.test(f)))
  ) {
    errs.add(at, '应为字段名列表', 'must be a list of field names')
  }
}

function checkGrant(errs: FieldErrors, g: unknown, at: string, known: (collection: string) => boolean): void {
  if (!isObject(g)) return void errs.add(at, '应为授权对象', 'must be a grant object')
  if (typeof g.collection !== 'string' || (g.collection !== '*' && !known(g.collection)))
    errs.add(`${at}.collection`, '未知的数据集', 'unknown collection')
  // A key that could manage keys would outlive any revocation of itself.
  if (g.collection === 'api_keys')
    errs.add(`${at}.collection`, 'API 密钥不能管理 API 密钥', 'a key cannot be granted rights on api_keys')
  if (
    !Array.isArray(g.actions) ||
    !g.actions.length ||
    !g.actions.every((a) => (ACTIONS as readonly unknown[]).includes(a))
  ) {
    errs.add(
      `${at}.actions`,
      `操作应取自 ${ACTIONS.join('、')}`,
      `actions must be among ${ACTIONS.join(', ')}`
    )
  }
  if (g.scope !== 'all' && g.scope !== 'custom') {
    errs.add(
      `${at}.scope`,
      'API 密钥没有本人与科室，范围只能是 all 或 custom',
      'an API key has no owner or department: scope must be all or custom'
    )
  }
  if (g.scope === 'custom' && (!isObject(g.filter) || usesUserVariables(g.filter))) {
    errs.add(
      `${at}.filter`,
      '自定义范围需要不含 $user 变量的筛选条件',
      'a custom scope needs a filter without $user variables'
    )
  }
  checkFields(errs, `${at}.readFields`, g.readFields)
  checkFields(errs, `${at}.writeFields`, g.writeFields)
}

function checkScopes(
  errs: FieldErrors,
  value: unknown,
  known: (c: string) => boolean
): ApiKeyScopes | undefined {
  if (!isObject(value)) return void errs.add('scopes', '应为 {grants, flows}', 'must be {grants, flows}')
  const grants = value.grants ?? []
  const flows = value.flows ?? []
  if (!Array.isArray(grants)) errs.add('scopes.grants', '应为授权列表', 'must be a list of grants')
  else grants.forEach((g, i) => checkGrant(errs, g, `scopes.grants[${i}]`, known))
  if (!Array.isArray(flows) || !flows.every((f) => typeof f === 'string' && FLOW_KEY.test(f)))
    errs.add('scopes.flows', '应为流程标识列表', 'must be a list of flow keys')
  const pick = (g: Doc): Grant => {
    const out: Doc = { collection: g.collection, actions: g.actions, scope: g.scope }
    for (const k of ['filter', 'readFields', 'writeFields']) if (g[k] !== undefined) out[k] = g[k]
    return out as unknown as Grant
  }
  return Array.isArray(grants) ? { grants: (grants as Doc[]).map(pick), flows: flows as string[] } : undefined
}

function checkAllowList(errs: FieldErrors, value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > 100)
    return void errs.add('allowList', '应为不超过100项的地址段列表', 'must be a list of at most 100 CIDRs')
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !parseCidr(v))
      errs.add(`allowList[${i}]`, '不是有效的 IPv4/IPv6 地址段', 'not a valid IPv4/IPv6 CIDR')
  })
  return value as string[]
}

function checkExpiry(errs: FieldErrors, value: unknown): string | null | undefined {
  if (value === null) return null
  const at = typeof value === 'string' ? Date.parse(value) : NaN
  if (Number.isNaN(at)) return void errs.add('expiresAt', '应为日期时间', 'must be an ISO date-time')
  if (at <= Date.now()) return void errs.add('expiresAt', '过期时间应晚于现在', 'must be in the future')
  return new Date(at).toISOString()
}

/** Checks what an administrator sends; `partial` for patch. Throws 400 naming every bad field. */
export function validateKeyInput(
  data: unknown,
  partial: boolean,
  known: (collection: string) => boolean
): KeyChanges {
  const errs = new FieldErrors()
  const d = isObject(data) ? data : {}
  if (!isObject(data)) errs.add('', '应为对象', 'must be an object')
  const out: KeyChanges = {}
  const allowed = new Set(['name', 'scopes', 'allowList', 'ratePerMinute', 'expiresAt'])
  for (const k of Object.keys(d))
    if (!allowed.has(k)) errs.add(k, '不可修改的字段', 'unknown or read-only field')
  if (!partial || d.name !== undefined) {
    const name = typeof d.name === 'string' ? d.name.trim() : ''
    if (!name || name.length > 100) errs.add('name', '名称为1至100个字符', 'name must be 1–100 characters')
    out.name = name
  }
  if (!partial || d.scopes !== undefined) out.scopes = checkScopes(errs, d.scopes ?? { grants: [] }, known)
  if (d.allowList !== undefined) out.allowList = checkAllowList(errs, d.allowList)
  else if (!partial) out.allowList = []
  if (d.ratePerMinute !== undefined) {
    const r = d.ratePerMinute
    if (r !== null && !(Number.isInteger(r) && (r as number) >= 1 && (r as number) <= 100_000))
      errs.add('ratePerMinute', '应为1至100000的整数', 'must be an integer 1–100000')
    out.ratePerMinute = r as number | null
  } else if (!partial) out.ratePerMinute = null
  if (d.expiresAt !== undefined) out.expiresAt = checkExpiry(errs, d.expiresAt)
  else if (!partial) out.expiresAt = null
  errs.throwIfAny()
  return out
}
