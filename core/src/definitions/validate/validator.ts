import { createHash } from 'node:crypto'
import { STORAGE_OF, type FormDefinition, type FormField } from '@medaffairs/plugin-sdk'
import type { ValidateFunction } from 'ajv'
import { canonicalJson } from '../../audit/canonical.js'
import { RESERVED_FIELDS } from '../form-check.js'
import { evaluate, isEmpty } from './conditions.js'
import { computeFormula, localToday } from './formulas.js'
import { checkValue, type CheckContext, type LookupRequest } from './kinds.js'
import type { ValidationLookups as Lookups } from './lookups.js'
import { REQUIRED, UNKNOWN_FIELD } from './messages.js'
import { resolveLookups } from './resolve.js'
import { compileFormSchema, mapSchemaErrors, type PathError } from './schema.js'

type Doc = Record<string, any>
export type WriteMode = 'create' | 'update' | 'patch' | 'batch'

export interface ValidateInput {
  /** create/update: the record; patch: the change; batch: the change applied to many rows. */
  data: Doc
  /** The stored record (update, patch). */
  existing?: Doc
  mode: WriteMode
  /** `YYYY-MM-DD` for computed fields (tests); default the server's today. */
  today?: string
}

export interface ValidateResult {
  errors: PathError[]
  /** The record to store: patch → the whole merged record; batch → the normalized change. */
  record: Doc
}

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const STRING_KINDS = new Set(
  Object.entries(STORAGE_OF)
    .filter(([, s]) => s === 'string')
    .map(([k]) => k)
)

/** Form values without nulls (JSON Schema knows no "empty"): what the schema checks. */
function pruned(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruned)
  if (!isObject(v)) return v
  const out: Doc = {}
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = pruned(x)
  return out
}

/** A blank input of a non-text field means "no value". */
function blankToNull(f: FormField, v: unknown): unknown {
  return v === '' && !STRING_KINDS.has(f.kind) ? null : v
}

/** A compiled form: the JSON Schema for shapes, plus conditions, lookups and formulas in code. */
export class FormValidator {
  readonly schema: ValidateFunction
  readonly fields: ReadonlyMap<string, FormField>

  constructor(
    readonly form: FormDefinition,
    /** Other names the collection declares (plugin fields not on the form): allowed through. */
    readonly known: ReadonlySet<string> = new Set()
  ) {
    this.schema = compileFormSchema(form)
    this.fields = new Map(form.fields.map((f) => [f.name, f]))
  }

  async validate(input: ValidateInput, lookups: Lookups): Promise<ValidateResult> {
    const errors = new Map<string, string>()
    const rec: Doc = input.mode === 'patch' ? { ...input.existing, ...input.data } : { ...input.data }
    this.checkUnknown(input, errors)
    const batch = input.mode === 'batch'
    const active = this.form.fields.filter((f) => !batch || Object.hasOwn(rec, f.name))
    for (const f of active) prepare(f, rec)
    const hidden = batch ? new Set<string>() : hide(active, rec)
    const shown = active.filter((f) => !hidden.has(f.name) && f.kind !== 'computed')
    for (const f of this.form.fields) if (f.kind === 'computed') delete rec[f.name]
    const shape: Doc = {}
    for (const f of shown)
      if (rec[f.name] !== null && rec[f.name] !== undefined) shape[f.name] = pruned(rec[f.name])
    if (!this.schema(shape))
      for (const e of mapSchemaErrors(this.form, this.schema.errors)) errors.set(e.field, e.reason)
    const lookupsToRun: LookupRequest[] = []
    for (const f of shown) checkField(f, rec, errors, lookupsToRun, input.existing)
    if (!batch) for (const f of shown) checkRequired(f, rec, rec, f.name, errors)
    await resolveLookups(lookupsToRun, lookups, errors)
    if (!batch) {
      const today = input.today ?? localToday()
      for (const f of this.form.fields)
        if (f.kind === 'computed' && f.formula) rec[f.name] = computeFormula(f.formula, rec, today)
    }
    return { errors: [...errors].map(([field, reason]) => ({ field, reason })), record: rec }
  }

  private checkUnknown(input: ValidateInput, errors: Map<string, string>): void {
    for (const k of Object.keys(input.data)) {
      if (this.fields.has(k) || RESERVED_FIELDS.has(k) || this.known.has(k)) continue
      // A field dropped from the form may still be in old records: echoing it back is fine.
      if (input.existing && canonicalJson(input.existing[k]) === canonicalJson(input.data[k])) continue
      errors.set(k, UNKNOWN_FIELD)
    }
  }
}

/** Copies what validation may rewrite (rows), and turns blank non-text inputs into null. */
function prepare(f: FormField, rec: Doc): void {
  rec[f.name] = blankToNull(f, rec[f.name])
  if (f.kind !== 'subtable' || !Array.isArray(rec[f.name])) return
  rec[f.name] = rec[f.name].map((row: unknown) => {
    if (!isObject(row)) return row
    const copy: Doc = { ...row }
    for (const c of f.fields ?? [])
      if (Object.hasOwn(copy, c.name)) copy[c.name] = blankToNull(c, copy[c.name])
    return copy
  })
}

/** Fields whose `visible` condition is false are not validated and not kept. */
function hide(fields: FormField[], rec: Doc): Set<string> {
  const hidden = new Set<string>()
  for (const f of fields) {
    if (f.visible && !evaluate(f.visible, rec)) {
      hidden.add(f.name)
      delete rec[f.name]
      continue
    }
    if (f.kind !== 'subtable' || !Array.isArray(rec[f.name])) continue
    for (const row of rec[f.name]) {
      if (!isObject(row)) continue
      for (const c of f.fields ?? [])
        if (c.visible && !evaluate(c.visible, { ...rec, ...row })) delete row[c.name]
    }
  }
  return hidden
}

/** Stored values of a field (or of a sub-table column), for "is this value new?". */
function storedValues(existing: Doc | undefined, f: FormField, parent?: FormField): Set<string> {
  const out = new Set<string>()
  if (!existing) return out
  const raw = parent
    ? (Array.isArray(existing[parent.name]) ? existing[parent.name] : []).map((row: Doc) => row?.[f.name])
    : [existing[f.name]]
  for (const v of raw) {
    out.add(canonicalJson(v))
    if (Array.isArray(v)) for (const item of v) out.add(canonicalJson(item))
  }
  return out
}

function contextFor(
  f: FormField,
  errors: Map<string, string>,
  lookups: LookupRequest[],
  existing?: Doc,
  parent?: FormField
): CheckContext {
  let stored: Set<string> | undefined
  return {
    errors,
    lookups,
    isNew: (_field, value) => !(stored ??= storedValues(existing, f, parent)).has(canonicalJson(value))
  }
}

const failed = (errors: Map<string, string>, path: string) => {
  for (const k of errors.keys()) if (k === path || k.startsWith(`${path}.`)) return true
  return false
}

function checkField(
  f: FormField,
  rec: Doc,
  errors: Map<string, string>,
  lookups: LookupRequest[],
  existing?: Doc
): void {
  const v = rec[f.name]
  // A sub-table with one bad row still has its other rows and cells checked.
  if (v === null || v === undefined || (f.kind === 'subtable' ? errors.has(f.name) : failed(errors, f.name)))
    return
  if (f.kind !== 'subtable') {
    rec[f.name] = checkValue(f, v, f.name, contextFor(f, errors, lookups, existing))
    return
  }
  const columns = new Map((f.fields ?? []).map((c) => [c.name, c]))
  const rowsChanged = !existing || canonicalJson(existing[f.name]) !== canonicalJson(v)
  ;(v as unknown[]).forEach((row, i) => {
    if (!isObject(row)) return
    for (const [k, cell] of Object.entries(row)) {
      const path = `${f.name}.${i}.${k}`
      const column = columns.get(k)
      if (!column) {
        if (k !== 'id' && rowsChanged) errors.set(path, UNKNOWN_FIELD)
      } else if (cell !== null && cell !== undefined && !failed(errors, path)) {
        row[k] = checkValue(column, cell, path, contextFor(column, errors, lookups, existing, f))
      }
    }
  })
}

function checkRequired(f: FormField, rec: Doc, scope: Doc, path: string, errors: Map<string, string>): void {
  const value = scope[f.name]
  const required =
    f.required === true ||
    (isObject(f.required) && evaluate(f.required, scope === rec ? rec : { ...rec, ...scope }))
  if (required && isEmpty(value) && !failed(errors, path)) errors.set(path, REQUIRED)
  if (f.kind !== 'subtable' || !Array.isArray(value)) return
  value.forEach((row, i) => {
    if (!isObject(row)) return
    for (const c of f.fields ?? []) {
      const visible = !c.visible || evaluate(c.visible, { ...rec, ...row })
      if (visible) checkRequired(c, rec, row, `${path}.${i}.${c.name}`, errors)
    }
  })
}

const compiled = new Map<string, FormValidator>()

/** The validator of a form, compiled once per distinct form body (i.e. per published version). */
export function compileValidator(form: FormDefinition, known: Iterable<string> = []): FormValidator {
  const names = [...known].sort()
  const key = createHash('sha1').update(canonicalJson({ form, names })).digest('hex')
  let v = compiled.get(key)
  if (!v) {
    if (compiled.size > 500) compiled.clear()
    compiled.set(key, (v = new FormValidator(form, new Set(names))))
  }
  return v
}
