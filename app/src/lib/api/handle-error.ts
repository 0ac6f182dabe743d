import { i18n, t, type Params } from '$lib/i18n/i18n.svelte'
import { toasts } from '$lib/state/toasts.svelte'

/** Messages per form field, keyed by the field's dotted path (`label.zh-CN`). */
export type FieldErrors = Record<string, string>

interface ErrorLike {
  name?: string
  message?: string
  code?: number
  data?: { errors?: unknown; requestId?: string; fields?: unknown } | null
  errors?: unknown
}

/**
 * Core writes its messages in both languages, `中文 (English)`; this keeps the part of the
 * current language. A message of another shape comes back as it is.
 */
export function localizeMessage(message: string): string {
  const match = /^([\s\S]+?) \(([^()]+)\)$/.exec(message.trim())
  if (!match) return message
  return i18n.locale === 'en-US' ? match[2] : match[1]
}

/** `/label/zh-CN` or `label/zh-CN` → `label.zh-CN`. */
function fieldKey(field: string): string {
  return field.replace(/^\//, '').replace(/\//g, '.')
}

/**
 * The per-field messages of a 400/422 answer (and of a 403 or 409 naming fields). Core sends
 * `data.errors: [{ field, reason }]`; Feathers moves an `errors` key of the data to the error
 * itself, so both places are read.
 */
export function fieldErrors(error: unknown): FieldErrors {
  const e = (error ?? {}) as ErrorLike
  const out: FieldErrors = {}
  // One field may fail several rules (length and classes): all reasons are kept.
  const add = (field: string, reason: string) => {
    const key = fieldKey(field)
    const text = localizeMessage(reason)
    out[key] = out[key] ? `${out[key]}${t('errors.reason_separator')}${text}` : text
  }
  // 403 naming fields: the caller may not write them (e.g. roles, reserved to the security admin).
  if (e.code === 403 && Array.isArray(e.data?.fields)) {
    for (const field of e.data.fields)
      if (typeof field === 'string') add(field, t('errors.field_not_writable'))
    return out
  }
  const list = e.data?.errors ?? e.errors
  // 409 naming fields: another record already holds these values (a unique field).
  if (e.code === 409) {
    for (const item of Array.isArray(list) ? (list as Array<{ field?: string; reason?: string }>) : [])
      if (typeof item?.field === 'string' && item.reason === 'unique')
        add(item.field, t('errors.field_taken'))
    return out
  }
  if (e.code !== 400 && e.code !== 422) return {}
  if (Array.isArray(list)) {
    for (const item of list as Array<{ field?: string; reason?: string; message?: string }>) {
      if (item && typeof item.field === 'string') add(item.field, readableReason(item))
    }
  } else if (list && typeof list === 'object') {
    for (const [field, reason] of Object.entries(list)) add(field, String(reason))
  }
  return out
}

const REASON_CODE = /^[a-z]+(-[a-z]+)*$/

/** The text of a field's reason: storage refusals carry a code (`expected-string`) and a message. */
function readableReason(item: { reason?: string; message?: string }): string {
  if (item.message && (!item.reason || REASON_CODE.test(item.reason))) return item.message
  return item.reason ?? item.message ?? ''
}

/** A fetch that never reached the server (offline, server down). */
function isNetworkFailure(e: ErrorLike): boolean {
  // Only fetch's own TypeErrors: a TypeError from a bug must not read as "offline".
  return (
    e.name === 'Unavailable' ||
    /failed to fetch|networkerror|load failed|network request failed/i.test(e.message ?? '')
  )
}

/** The sentence to show for an error: the server's message, or a generic one. */
export function errorMessage(error: unknown): string {
  const e = (error ?? {}) as ErrorLike
  if (isNetworkFailure(e)) return t('errors.network')
  const requestId = e.data?.requestId
  const message = e.message ? localizeMessage(e.message) : t('errors.unknown')
  return requestId ? `${message} (${t('errors.request_id', { id: requestId })})` : message
}

/**
 * The one place a failed request ends up: a toast titled by `key` (an i18n key saying what
 * failed) carrying the server's message, and the field messages for the form that sent it.
 */
export function handleError(error: unknown, key: string, params?: Params): FieldErrors {
  console.error(`[${key}]`, error)
  const fields = fieldErrors(error)
  const detail = Object.keys(fields).length ? t('errors.form_has_errors') : errorMessage(error)
  toasts.error(t(key, params), detail)
  return fields
}
