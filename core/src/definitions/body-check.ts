import {
  storageOf,
  type CollectionDefinition,
  type DefinitionKind,
  type FormDefinition,
  type FormField
} from '@medaffairs/plugin-sdk'
import { checkFlowBody } from '../flows/validate.js'
import { FieldErrors } from '../identity/field-errors.js'
import { checkFormBody } from './form-check.js'
import { checkOwnedFields } from './owned-fields.js'
import type { DefinitionSource } from './types.js'

type Doc = Record<string, any>
const CORE_KINDS: ReadonlySet<string> = new Set(['system', 'security', 'audit'])

export interface BodyContext {
  /** The collection as its plugin declares it; undefined when no such collection is registered. */
  base?: CollectionDefinition
  registered: boolean
  /** Every earlier version of this form (their fields' storage must not change). */
  history: FormDefinition[]
  source: DefinitionSource | null
  /** Flows: whether a collection exists (a flow runs on one). */
  collectionExists?: (name: string) => boolean
  /** The published form (plugin fields in it are protected). */
  current?: FormDefinition
}

/**
 * A field's storage type cannot change once data may exist: old rows would break the typed
 * index (a text in a numeric expression) or be read as the wrong thing.
 */
function checkCompatible(errs: FieldErrors, form: FormDefinition, ctx: BodyContext): void {
  const before = new Map<string, { type: string; sensitive: boolean }>()
  for (const f of ctx.base?.fields ?? [])
    before.set(f.name, { type: f.type, sensitive: Boolean(f.sensitive) })
  for (const old of ctx.history) {
    for (const f of old.fields ?? [])
      if (!before.has(f.name)) before.set(f.name, { type: storageOf(f), sensitive: Boolean(f.sensitive) })
  }
  form.fields.forEach((f, i) => {
    const was = before.get(f.name)
    if (!was) return
    // A plugin field declared `json` keeps that type (the plugin's declaration wins) and takes any value.
    const fromBase = ctx.base?.fields.some((b) => b.name === f.name)
    if (was.type !== storageOf(f) && !(fromBase && was.type === 'json')) {
      errs.add(
        `fields.${i}.kind`,
        `字段已有数据，存储类型不能从 ${was.type} 改为 ${storageOf(f)}，请新建字段`,
        `data may exist: storage cannot change from ${was.type} to ${storageOf(f)}; add a new field instead`
      )
    }
    // Turning encryption on is fine (new writes are sealed; the re-encryption sweep seals old
    // values); turning it off would leave stored ciphertext that nothing decrypts any more.
    if (!fromBase && was.sensitive && !f.sensitive)
      errs.add(
        `fields.${i}.sensitive`,
        '已加密的字段不能取消加密',
        'an encrypted field cannot be made unencrypted'
      )
  })
}

/** Fields neither the plugin shipped nor the collection declares are the hospital's own. */
export function markCustom(form: FormDefinition, ctx: Pick<BodyContext, 'base' | 'source'>): FormDefinition {
  const shipped = new Set([...(ctx.source?.fields ?? []), ...(ctx.base?.fields ?? []).map((f) => f.name)])
  // The server decides: a body cannot mark a plugin's field custom to get it deleted later.
  const fields = form.fields.map((f): FormField => {
    if (!shipped.has(f.name)) return f.custom ? f : { ...f, custom: true }
    if (!f.custom) return f
    const { custom: _custom, ...own } = f
    return own
  })
  return { ...form, fields }
}

/**
 * Checks a definition body before it is stored (draft) or published; throws 400 (422 for
 * flows) with every problem. Returns the body to store (forms get their custom fields
 * marked; a flow carries its key). A flow draft need only be well shaped; publishing it
 * needs `validateFlow` to find nothing.
 */
export function checkBody(
  kind: DefinitionKind,
  key: string,
  body: unknown,
  ctx: BodyContext,
  stage: 'draft' | 'publish' = 'publish'
): unknown {
  if (kind === 'flow') return { ...checkFlowBody(body, stage, ctx.collectionExists), key }
  if (kind !== 'form') {
    const errs = new FieldErrors()
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      errs.add('body', '定义应为对象', 'the definition must be an object')
    errs.throwIfAny()
    return body
  }
  const errs = checkFormBody(body, key)
  if (!ctx.registered) errs.add('collection', `没有名为 ${key} 的数据表`, `no collection named ${key}`)
  // Users, roles, masking rules and the audit trail carry their own checks and secrets (a
  // password is not a form field): the administrator's forms are for modules' data.
  else if (CORE_KINDS.has(ctx.base?.kind ?? 'business'))
    errs.add('collection', '系统数据表不能自定义表单', "the core's own collections have no editable form")
  if (!errs.errors.length) checkCompatible(errs, body as FormDefinition, ctx)
  errs.throwIfAny()
  checkOwnedFields(body as FormDefinition, ctx)
  return markCustom(body as FormDefinition, ctx)
}

export function isForm(body: unknown): body is FormDefinition {
  return typeof body === 'object' && body !== null && Array.isArray((body as Doc).fields)
}
