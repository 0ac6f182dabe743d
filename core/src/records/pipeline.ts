import { BadRequest, Forbidden } from '@feathersjs/errors'
import type { HookContext, NextFunction } from '@feathersjs/feathers'
import type { Action, Actor, CollectionKind, Db, ReadScope } from '@medaffairs/plugin-sdk'
import { flowLock } from '../flows/lock.js'
import { permissionFor, withScope, type Permission } from '../identity/acl.js'
import type { ActorResolver } from './actor.js'
import type { MaskingRules } from './masking-rules.js'
import { dropEchoedMasks, shapeRecord, shapeScope } from './shape.js'
import { matchesScope } from './scope-match.js'

export const ACTION_OF: Record<string, Action> = {
  find: 'read',
  get: 'read',
  create: 'create',
  update: 'update',
  patch: 'update',
  remove: 'delete'
}

export interface PipelineDeps {
  db: Db
  actors: ActorResolver
  masking: MaskingRules
  /** Checks a write against the collection's published form (definitions); set by app.ts. */
  validate?(context: HookContext): Promise<void>
}

type Doc = Record<string, any>
const list = (v: unknown): Doc[] => (Array.isArray(v) ? v : [v]) as Doc[]

function refuse(zh: string, en: string, data?: Record<string, unknown>): never {
  throw new Forbidden(`${zh} (${en})`, data)
}

function checkSession(context: HookContext): void {
  const restriction = (context.params as { authentication?: { restriction?: string } }).authentication
    ?.restriction
  if (restriction === 'password_change') refuse('请先修改密码', 'change your password first', { restriction })
  if (restriction === 'totp_enroll')
    refuse('请先绑定动态验证码', 'set up the second factor first', { restriction })
}

/** Field names a scope query looks at (its keys, through $and/$or). */
function scopeFields(scope: Doc | null, out = new Set<string>()): Set<string> {
  if (!scope) return out
  for (const [k, v] of Object.entries(scope)) {
    if (k === '$and' || k === '$or') for (const part of v as Doc[]) scopeFields(part, out)
    else if (!k.startsWith('$')) out.add(k)
  }
  return out
}

/** Refuses writes to fields outside the actor's writable set, naming them. */
function checkWritable(data: Doc, perm: Permission, existing?: Doc): void {
  if (!perm.writeFields) return
  const denied = Object.keys(data).filter(
    (k) =>
      k !== 'rev' &&
      !perm.writeFields!.has(k) &&
      (!existing || JSON.stringify(existing[k]) !== JSON.stringify(data[k]))
  )
  if (denied.length)
    refuse(`无权修改字段：${denied.join('、')}`, `not allowed to write: ${denied.join(', ')}`, {
      fields: denied
    })
}

const NO_PERSON = '人员不存在 (no such person)'

/**
 * The people the records are about (their `field`), all in one query: a multi-create of an
 * import chunk names hundreds. Refuses the write when one of them does not exist.
 */
async function subjectsOf(context: HookContext, field: string, records: Doc[]): Promise<Map<string, Doc>> {
  const ids = [...new Set(records.map((d) => d[field]).filter((v): v is string => typeof v === 'string'))]
  if (!ids.length) return new Map()
  const found = (await context.app
    .service('users')
    .find({ query: { id: { $in: ids }, $limit: ids.length }, paginate: false })) as Doc[]
  const byId = new Map(found.map((u) => [String(u.id), u]))
  if (ids.some((id) => !byId.has(id)))
    throw new BadRequest(NO_PERSON, { errors: [{ field, reason: NO_PERSON }] })
  return byId
}

/** The owner and department of a record about a person are that person's. */
async function subjectOf(context: HookContext, field: string, data: Doc): Promise<Doc | undefined> {
  return (await subjectsOf(context, field, [data])).get(data[field])
}

/** New records belong to their author (or their subject) and that person's department, within scope. */
function stampCreate(data: Doc, actor: Actor, perm: Permission, subject: Doc | undefined): void {
  if (subject) {
    data.ownerId = subject.id
    data.deptId = subject.deptId ?? null
  }
  data.ownerId ??= actor.id
  data.deptId ??= actor.deptId
  if (!matchesScope(data, perm.scope)) refuse('不能在您的权限范围之外创建记录', 'outside your data scope')
}

async function beforeWrite(
  context: HookContext,
  actor: Actor,
  perm: Permission,
  subjectField: string | undefined,
  masks: Awaited<ReturnType<MaskingRules['forReader']>>
) {
  if (context.method === 'create') {
    const records = list(context.data)
    for (const data of records) checkWritable(data, perm)
    const subjects = subjectField ? await subjectsOf(context, subjectField, records) : undefined
    for (const data of records)
      stampCreate(data, actor, perm, subjectField ? subjects!.get(data[subjectField]) : undefined)
    return
  }
  if (context.method !== 'patch' && context.method !== 'update') return
  if (context.id === null || context.id === undefined) {
    checkWritable(context.data as Doc, perm)
    // A batch edit cannot judge each row's new scope; it may not touch what decides access.
    const decisive = Object.keys(context.data as Doc).filter(
      (k) => scopeFields(perm.scope).has(k) || k === 'ownerId' || k === 'deptId'
    )
    if (decisive.length)
      refuse(
        `批量修改不能更改决定权限范围的字段：${decisive.join('、')}`,
        `a batch edit cannot change ${decisive.join(', ')}`,
        { fields: decisive }
      )
    return
  }
  const existing = (await context.service.get(context.id, { query: withScope({}, perm.scope) })) as Doc
  // The audit hook diffs against this instead of reading the row again.
  ;(context.params as { existing?: Doc }).existing = existing
  context.data = dropEchoedMasks(context.data as Doc, existing, masks)
  checkWritable(context.data as Doc, perm, existing)
  const subject =
    subjectField && subjectField in (context.data as Doc)
      ? await subjectOf(context, subjectField, context.data as Doc)
      : undefined
  if (subject) Object.assign(context.data as Doc, { ownerId: subject.id, deptId: subject.deptId ?? null })
  const after = { ...existing, ...(context.data as Doc) }
  if (!matchesScope(after, perm.scope))
    refuse('修改后的记录将超出您的权限范围', 'the change would move the record outside your data scope')
}

/**
 * The records pipeline for every collection and every transport: authenticate, authorize,
 * join the data scope into the query, check writable fields, run writes in one
 * transaction, then hand back only readable fields, masked unless the actor may unmask.
 * Internal calls (no provider) are trusted.
 */
export function recordsPipeline(
  collection: string,
  kind: CollectionKind,
  deps: PipelineDeps,
  subjectField?: string
) {
  // A record under review (a running flow) is changed only by whom the flow allows.
  const lock = flowLock(deps.db)
  return async (context: HookContext, next: NextFunction) => {
    if (!context.params.provider) return next()
    const actor = await deps.actors.fromContext(context)
    checkSession(context)
    const action = ACTION_OF[context.method] ?? (context.method as Action)
    const perm = permissionFor(actor, collection, action, kind)
    if (!perm.allowed)
      refuse('无权执行此操作', `not allowed to ${action} ${collection}`, { action, collection })
    const masks = await deps.masking.forReader(collection, kind, actor)
    context.params.query = withScope(context.params.query, perm.scope)
    const readPerm = action === 'read' ? perm : permissionFor(actor, collection, 'read', kind)
    if (action === 'read') await next()
    else {
      await deps.db.transaction(async () => {
        await beforeWrite(context, actor, perm, subjectField, masks)
        await lock(context)
        // After the writable-field checks: a value the actor may not write is refused as such.
        await deps.validate?.(context)
        await next()
      })
    }
    if (action === 'read' && (context.params as { readScope?: boolean }).readScope) {
      context.result = shapeScope(context.result as ReadScope, readPerm, masks)
      return
    }
    const shape = (doc: Doc) => shapeRecord(doc, readPerm, masks)
    const result = context.result as Doc
    if (Array.isArray(result)) context.result = result.map(shape)
    else if (result && Array.isArray(result.data) && 'total' in result)
      context.result = { ...result, data: result.data.map(shape) }
    else if (result) context.result = shape(result)
  }
}
