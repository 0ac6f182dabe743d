import type { FormField } from '@medaffairs/plugin-sdk'

type I18n = Partial<Record<'zh-CN' | 'en-US', string>>

export interface FormatContext {
  /** Picks the current language of a multilingual value. */
  text: (value: I18n) => string
  yes: string
  no: string
  /** Option labels of the field (dictionary items or fixed options), by code. */
  options?: ReadonlyMap<string, string>
  /** Names of users and departments, by id. */
  names?: ReadonlyMap<string, string>
  /** Locale for numbers and times. */
  locale: string
}

const isI18n = (v: unknown): v is I18n =>
  !!v && typeof v === 'object' && !Array.isArray(v) && ('zh-CN' in v || 'en-US' in v)

/** `2026-11-25T23:07:13.646Z` → local `2026-11-25 23:07`. */
export function formatDateTime(value: string, locale: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return d
    .toLocaleString(locale, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false
    })
    .replace(/\//g, '-')
}

function one(
  field: Pick<FormField, 'kind' | 'precision'> | undefined,
  value: unknown,
  ctx: FormatContext
): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'boolean') return value ? ctx.yes : ctx.no
  if (isI18n(value)) return ctx.text(value)
  const kind = field?.kind
  if (typeof value === 'number') {
    if (kind === 'money')
      return value.toLocaleString(ctx.locale, {
        minimumFractionDigits: field?.precision ?? 2,
        maximumFractionDigits: field?.precision ?? 2
      })
    return field?.precision !== undefined ? value.toFixed(field.precision) : String(value)
  }
  if (typeof value === 'string') {
    if (ctx.options?.has(value)) return ctx.options.get(value)!
    if ((kind === 'user' || kind === 'department') && ctx.names?.has(value)) return ctx.names.get(value)!
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value, ctx.locale)
    return value
  }
  if (Array.isArray(value))
    return value
      .map((v) => one(field, v, ctx))
      .filter(Boolean)
      .join(kind === 'cascader' ? ' / ' : '、')
  if (typeof value === 'object') {
    const range = value as { from?: unknown; to?: unknown; start?: unknown; end?: unknown }
    if ('from' in range || 'to' in range || 'start' in range || 'end' in range) {
      return `${String(range.from ?? range.start ?? '')} ~ ${String(range.to ?? range.end ?? '')}`
    }
    return JSON.stringify(value)
  }
  return String(value)
}

/** A value as text for a table cell or a detail row (sub-tables and files are shown elsewhere). */
export function formatValue(
  field: Pick<FormField, 'kind' | 'precision'> | undefined,
  value: unknown,
  ctx: FormatContext
): string {
  if (field?.kind === 'subtable' && Array.isArray(value)) return String(value.length)
  if ((field?.kind === 'file' || field?.kind === 'images') && Array.isArray(value))
    return String(value.length)
  if (field?.kind === 'richtext' && typeof value === 'string')
    return value
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  return one(field, value, ctx)
}

/** Whether a shown value looks masked (`138****5678`, `张*`): a run of asterisks. */
export function looksMasked(value: unknown): boolean {
  return typeof value === 'string' && /\*{1,}/.test(value)
}
