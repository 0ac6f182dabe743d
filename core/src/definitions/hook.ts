import type { HookContext } from '@feathersjs/feathers'
import { canonicalJson } from '../audit/canonical.js'
import { FieldErrors } from '../identity/field-errors.js'
import { FORM_VERSION_FIELD } from './form-check.js'
import type { LiveForm } from './live.js'
import { batchedLookups } from './validate/lookups.js'
import type { PathError } from './validate/schema.js'
import type { WriteMode } from './validate/validator.js'

type Doc = Record<string, any>
export type GetForm = (collection: string) => Promise<LiveForm | undefined>

function fail(errors: PathError[]): void {
  const errs = new FieldErrors()
  for (const e of errors) errs.addReason(e.field, e.reason)
  errs.throwIfAny()
}

/**
 * What a patch writes: the client's fields plus every form field validation changed in the
 * merged record (computed values, sanitized text, fields a condition hid are cleared).
 */
function patchData(data: Doc, existing: Doc, record: Doc, live: LiveForm): Doc {
  const out: Doc = { ...data }
  for (const f of live.form.fields) {
    const after = record[f.name]
    if (Object.hasOwn(data, f.name) || canonicalJson(after) !== canonicalJson(existing[f.name])) {
      out[f.name] = after === undefined ? null : after
    }
  }
  return out
}

async function validateCreate(context: HookContext, live: LiveForm): Promise<void> {
  const many = Array.isArray(context.data)
  const list = (many ? context.data : [context.data]) as Doc[]
  const errors: PathError[] = []
  const out: Doc[] = []
  // The items are checked side by side so that their lookups share one query per kind.
  const lookups = list.length > 1 ? batchedLookups(live.lookups) : live.lookups
  const results = await Promise.all(
    list.map((data) => live.validator.validate({ data, mode: 'create' }, lookups))
  )
  for (const [i, res] of results.entries()) {
    // In a multi-create, errors name the item: `3.mobile`.
    errors.push(...res.errors.map((e) => (many ? { ...e, field: `${i}.${e.field}` } : e)))
    out.push({ ...res.record, [FORM_VERSION_FIELD]: live.version })
  }
  fail(errors)
  context.data = many ? out : out[0]
}

async function validateWrite(context: HookContext, live: LiveForm): Promise<void> {
  const data = (context.data ?? {}) as Doc
  if (context.id === null || context.id === undefined) {
    // A batch edit: the change is checked field by field; no row is re-read.
    const res = await live.validator.validate({ data, mode: 'batch' }, live.lookups)
    fail(res.errors)
    context.data = { ...res.record, [FORM_VERSION_FIELD]: live.version }
    return
  }
  const params = context.params as { existing?: Doc }
  const existing = params.existing ?? ((await context.service.get(context.id, { query: {} })) as Doc)
  const mode = context.method as WriteMode
  const res = await live.validator.validate({ data, existing, mode }, live.lookups)
  fail(res.errors)
  const written = mode === 'update' ? res.record : patchData(data, existing, res.record, live)
  context.data = { ...written, [FORM_VERSION_FIELD]: live.version }
}

/**
 * Validates create/update/patch against the collection's published form, compiled once per
 * version: 400 with `errors: [{ field, reason }]` naming every failing field. Stores the
 * normalized values and `_formVersion`. Collections without a form pass untouched. Call it
 * for external writes after the writable-field checks (the records pipeline does).
 */
export function validationHook(getForm: GetForm) {
  return async (context: HookContext): Promise<void> => {
    const method = context.method
    if (method !== 'create' && method !== 'update' && method !== 'patch') return
    const live = await getForm(String(context.path).replace(/-/g, '_'))
    if (!live) return
    if (method === 'create') await validateCreate(context, live)
    else await validateWrite(context, live)
  }
}
